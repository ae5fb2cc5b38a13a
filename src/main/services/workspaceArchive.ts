/** Packs a host folder as a tar stream for `snapshot` mode: files owned by claude (1001) so the agent can write. */
import { createReadStream } from 'node:fs'
import { lstat, readdir, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pack, type Pack } from 'tar-stream'

const OWNER = { uid: 1001, gid: 1001 }

async function addTree(p: Pack, root: string, rel: string): Promise<void> {
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name
    const full = join(root, relPath)
    const st = await lstat(full)
    const header = { name: relPath, mode: st.mode & 0o7777, mtime: st.mtime, ...OWNER }
    if (st.isDirectory()) {
      p.entry({ ...header, type: 'directory' })
      await addTree(p, root, relPath)
    } else if (st.isSymbolicLink()) {
      p.entry({ ...header, type: 'symlink', linkname: await readlink(full) })
    } else if (st.isFile()) {
      await new Promise<void>((resolve, reject) => {
        const sink = p.entry({ ...header, size: st.size }, (err) => (err ? reject(err) : resolve()))
        createReadStream(full).on('error', reject).pipe(sink)
      })
    }
    // Sockets, fifos and devices have no meaning in a copy and are skipped.
  }
}

/** A tar stream of the folder's contents; errors surface on the stream. */
export function packFolder(root: string): Pack {
  const p = pack()
  addTree(p, root, '').then(
    () => p.finalize(),
    (e: Error) => p.destroy(e),
  )
  return p
}
