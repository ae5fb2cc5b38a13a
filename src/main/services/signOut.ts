/**
 * Sign out every agent: the shared login is moved to a backup in the global
 * volume (nothing is lost) and the shared file becomes `{}`, a file Claude Code
 * reads as "no login". The archive API cannot delete a file, and an empty object
 * also keeps every agent's link pointing at a file that exists: the next login
 * in any agent replaces it through the keeper, as a first login does.
 */
import { ClawkerError } from '../../shared/errors'
import type { ServiceContext } from './context'
import { freeBackupName, writeVerified } from './credentialBackup'
import { CREDENTIALS_FILE } from '../docker/layout'
import { inspectGlobalVolume } from './globalVolume'
import { withVolumes } from './volumeArchive'
import { withVolumeLock } from './volumeLock'

export const SIGNED_OUT_CONTENT = Buffer.from('{}\n')

export async function signOutEveryAgent(ctx: ServiceContext): Promise<{ backup: string; volume: string }> {
  // Inspected first: mounting a missing global volume would create it, unlabelled.
  const volume = await inspectGlobalVolume(ctx)
  if (!volume) throw new ClawkerError('not-found', 'There is no shared login to sign out of.')
  return withVolumeLock(() =>
    withVolumes(ctx, [{ name: volume.name }], async (h) => {
      const current = await h.read(0, CREDENTIALS_FILE)
      if (current.type === 'missing') throw new ClawkerError('not-found', 'There is no shared login to sign out of.')
      if (current.type === 'large') {
        throw new ClawkerError('credentials', 'The shared login file is too large to read (over 1 MiB): it is left as it is. Nothing was changed.')
      }
      if (current.type !== 'file') {
        throw new ClawkerError('credentials', 'The shared login path is not a regular file: it is left as it is. Nothing was changed.')
      }
      if (current.content.equals(SIGNED_OUT_CONTENT)) throw new ClawkerError('not-found', 'Every agent is already signed out.')
      const backup = await freeBackupName(h, 0, ctx.now())
      await writeVerified(h, 0, backup, current.content)
      await writeVerified(h, 0, CREDENTIALS_FILE, SIGNED_OUT_CONTENT)
      return { backup, volume: volume.name }
    }),
  )
}
