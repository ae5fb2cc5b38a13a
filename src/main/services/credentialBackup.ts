/**
 * Writing credential files through the archive API without losing one: every
 * copy is read back before the next step may overwrite its source, and a file
 * replaced in the global volume is first kept as `.credentials.json.bak-<UTC
 * stamp>`, as the entrypoint and the keeper name theirs. The archive API cannot
 * delete, so the scripts prune backups to the newest five when an agent starts.
 */
import { ClawkerError } from '../../shared/errors'
import { AGENT_USER, CREDENTIALS_FILE } from '../docker/layout'
import type { VolumeHandle } from './volumeArchive'

/** Files the agents read and write are theirs. */
export const CLAUDE = { uid: AGENT_USER.uid, gid: AGENT_USER.gid }

/** `.credentials.json.bak-20261124T101500Z`, as the entrypoint names its backups. */
export const backupName = (now: Date) => `${CREDENTIALS_FILE}.bak-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`

/** Writes a file (600, claude's) and reads it back: the next step may overwrite what this one copied. */
export async function writeVerified(h: VolumeHandle, index: number, path: string, bytes: Buffer): Promise<void> {
  await h.writeFile(index, path, bytes, { mode: 0o600, ...CLAUDE })
  const back = await h.read(index, path)
  if (back.type !== 'file' || !back.content.equals(bytes)) {
    throw new ClawkerError('credentials', `Could not confirm the copy ${path}; stopped before changing anything more.`)
  }
}

/** A backup name not taken yet in that volume. */
export async function freeBackupName(h: VolumeHandle, index: number, now: Date): Promise<string> {
  const base = backupName(now)
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`
    if ((await h.read(index, name)).type === 'missing') return name
  }
}
