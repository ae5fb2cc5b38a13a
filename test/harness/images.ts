/**
 * Test images made locally (nothing can be pulled): a tiny rootfs with Debian's
 * static busybox, plus bash and dash with their libraries so scripts can be run
 * under each shell. `docker import` gives no CMD: tests pass commands explicitly.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import { tarBuffer, type TarEntry } from '../../src/main/docker/tarball'
import type Docker from 'dockerode'

export const BASE_IMAGE = 'clawker-test-base:latest'

/** Every applet this busybox has, linked into /bin (Debian's static build lacks a few, e.g. cksum). */
function applets(): string[] {
  return execFileSync('/usr/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox')
}

/** The shared libraries a dynamic binary needs, from ldd. */
function libsOf(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' })
  return [...out.matchAll(/(\/\S+\.so[.\d]*)\s/g)].map((m) => m[1]!)
}

export async function rootfsTar(): Promise<Buffer> {
  const entries: TarEntry[] = []
  const dir = (name: string, mode = 0o755) => entries.push({ name, type: 'directory', mode, uid: 0, gid: 0 })
  const file = (name: string, content: Buffer | string, mode = 0o644) => entries.push({ name, mode, uid: 0, gid: 0, content })
  for (const d of ['bin', 'etc', 'lib', 'lib64', 'usr', 'usr/bin', 'root', 'home', 'workspace', 'var', 'var/run', 'proc', 'sys', 'dev'])
    dir(d)
  dir('tmp', 0o1777)
  file('bin/busybox', readFileSync('/usr/bin/busybox'), 0o755)
  for (const a of applets()) entries.push({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox' })
  const libs = new Set<string>()
  for (const [bin, target] of [['/bin/bash', 'bin/bash'], ['/bin/dash', 'bin/dash']] as const) {
    file(target, readFileSync(realpathSync(bin)), 0o755)
    for (const lib of libsOf(bin)) libs.add(lib)
  }
  for (const lib of libs) {
    const real = realpathSync(lib)
    if (!statSync(real).isFile()) continue
    file(lib.replace(/^\//, ''), readFileSync(real), 0o755)
  }
  file('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n')
  file('etc/group', 'root:x:0:\n')
  return tarBuffer(entries)
}

/** Imports the base image once per engine; later calls reuse it. */
export async function ensureBaseImage(docker: Docker): Promise<string> {
  try {
    await docker.getImage(BASE_IMAGE).inspect()
    return BASE_IMAGE
  } catch {
    /* not there yet */
  }
  const [repo, tag] = BASE_IMAGE.split(':')
  await followToEnd(docker, await docker.importImage(Readable.from([await rootfsTar()]), { repo, tag }))
  return BASE_IMAGE
}

/** Waits for an import or build stream to end; an error in it rejects. */
export function followToEnd(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) => {
      const failed = err ?? res.find((r) => r.error)?.error
      if (failed) reject(failed instanceof Error ? failed : new Error(failed))
      else resolve()
    }),
  )
}
