/**
 * Packs a host folder as a tar stream for `snapshot` mode: files owned by claude
 * (1001) so the agent can write. Every failure ends the stream with an error
 * (never an exception elsewhere): a file that grows while it is packed, one that
 * cannot be read, or a folder larger than the cap.
 */
import { createReadStream } from 'node:fs'
import { lstat, readdir, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pack, type Pack } from 'tar-stream'
import { ClawkerError } from '../../shared/errors'
import { AGENT_USER } from '../docker/layout'

const OWNER = { uid: AGENT_USER.uid, gid: AGENT_USER.gid }

/** The largest folder a snapshot copies, unless the caller says otherwise: 2 GiB. */
export const SNAPSHOT_MAX_BYTES = 2 * 1024 ** 3

const gib = (n: number) => `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 1 : 0)} GiB`

async function addTree(p: Pack, root: string, rel: string, budget: { left: number; max: number }): Promise<void> {
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name
    const full = join(root, relPath)
    const st = await lstat(full)
    const header = { name: relPath, mode: st.mode & 0o7777, mtime: st.mtime, ...OWNER }
    if (st.isDirectory()) {
      p.entry({ ...header, type: 'directory' })
      await addTree(p, root, relPath, budget)
    } else if (st.isSymbolicLink()) {
      p.entry({ ...header, type: 'symlink', linkname: await readlink(full) })
    } else if (st.isFile()) {
      budget.left -= st.size
      if (budget.left < 0) {
        throw new ClawkerError('invalid-input', `The workspace folder is larger than the snapshot limit of ${gib(budget.max)}: use bind mode, or a smaller folder.`, { field: 'workspace' })
      }
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error | null) => (err ? reject(err) : resolve())
        if (st.size === 0) return void p.entry({ ...header, size: 0 }, Buffer.alloc(0), done)
        // The header carries the size measured above, and only that much is read: a file that grows meanwhile is
        // copied as it was; one that shrinks fails its entry ("Size mismatch"), which ends the stream with an error.
        const sink = p.entry({ ...header, size: st.size }, done)
        const source = createReadStream(full, { start: 0, end: st.size - 1 })
        source.on('error', (e) => {
          sink.destroy(e)
          reject(e)
        })
        source.pipe(sink)
      })
    }
    // Sockets, fifos and devices have no meaning in a copy and are skipped.
  }
}

/** A tar stream of the folder's contents; any failure ends it with an error in words. */
export function packFolder(root: string, maxBytes = SNAPSHOT_MAX_BYTES): Pack {
  const p = pack()
  addTree(p, root, '', { left: maxBytes, max: maxBytes }).then(
    () => p.finalize(),
    (e: Error) =>
      p.destroy(
        e instanceof ClawkerError
          ? e
          : new ClawkerError('workspace-missing', `Could not copy the workspace folder: ${e.message} (did a file change while it was copied?)`, { field: 'workspace', cause: e }),
      ),
  )
  return p
}
