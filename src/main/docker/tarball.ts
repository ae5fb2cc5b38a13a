/** Small in-memory tar archives for Docker's archive, build and import APIs (headers carry mode and owner). */
import { pack, type Header } from 'tar-stream'

export type TarEntry = Partial<Header> & { name: string; content?: Buffer | string }

export async function tarBuffer(entries: TarEntry[]): Promise<Buffer> {
  const p = pack()
  const chunks: Buffer[] = []
  p.on('data', (c: unknown) => chunks.push(c as Buffer))
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', resolve)
    p.on('error', reject)
  })
  for (const { content, ...header } of entries) {
    if (content === undefined) p.entry(header)
    else p.entry(header, content)
  }
  p.finalize()
  await done
  return Buffer.concat(chunks)
}
