/**
 * The shared credential state, as the window shows it: the global volume, its
 * credentials' metadata, and every agent's link state. All volumes are read
 * through one helper container (never one per volume), with one archive read per
 * file in parallel. Never a token: only metadata leaves this module.
 */
import type { CredentialState } from '../../shared/contract'
import { toClawkerError } from '../docker/errors'
import { LABEL, MANAGED_FILTER } from '../docker/labels'
import type { ServiceContext } from './context'
import { credentialMetadata, noLogin } from './credentialMetadata'
import { inspectGlobalVolume } from './globalVolume'
import { withVolumes, type VolumeEntry } from './volumeArchive'
import { withVolumeLock } from './volumeLock'

export const CREDENTIALS_FILE = '.credentials.json'
/** Volumes one helper container mounts; more are read by a few helpers side by side (see readUnlocked). */
export const MAX_VOLUMES_PER_HELPER = 34

/** Where the entrypoint's link points. */
export const GLOBAL_CREDENTIALS_PATH = '/home/claude/.clawker-globals/.credentials.json'
/** Where the keeper points the link of an agent signed out inside it (keeper.sh's SIGNED_OUT_TARGET): a path that never exists. */
export const SIGNED_OUT_TARGET = '/home/claude/.claude/.clawker-signed-out'

type FileInfo = NonNullable<CredentialState['global']>
type LinkState = CredentialState['agents'][number]['linkState']

export function fileInfo(entry: Extract<VolumeEntry, { type: 'file' | 'large' }>): FileInfo {
  const mode = (entry.mode & 0o777).toString(8)
  const metadata = entry.type === 'file' ? credentialMetadata(entry.content) : noLogin('too-large')
  return { kind: 'file', mode, uid: entry.uid, gid: entry.gid, modeOk: mode === '600', ...metadata }
}

/** A regular file at a credentials path, read or not. */
export const isRegular = (e: VolumeEntry): e is Extract<VolumeEntry, { type: 'file' | 'large' }> => e.type === 'file' || e.type === 'large'

export function linkState(local: VolumeEntry, globalExists: boolean): LinkState {
  switch (local.type) {
    case 'symlink':
      if (local.target === SIGNED_OUT_TARGET) return 'signed-out'
      if (local.target !== GLOBAL_CREDENTIALS_PATH) return 'other-link'
      return globalExists ? 'linked' : 'dangling'
    case 'file':
      return globalExists ? 'diverged' : 'waiting-to-migrate'
    case 'large':
      return 'too-large'
    case 'missing':
      return 'none'
    default:
      return 'other-link'
  }
}

/** Config volumes of every agent: one request, by label, limited to the prefix. */
export async function listConfigVolumes(ctx: ServiceContext): Promise<Array<{ name: string; project: string; agent: string }>> {
  try {
    const { Volumes } = await ctx.docker.listVolumes({ filters: { label: [MANAGED_FILTER, `${LABEL.purpose}=config`] } })
    return (Volumes ?? [])
      .filter((v) => v.Name.startsWith(`${ctx.prefix}.`) && v.Labels?.[LABEL.agent])
      .map((v) => ({ name: v.Name, project: v.Labels[LABEL.project] ?? '', agent: v.Labels[LABEL.agent]! }))
      .sort((a, b) => a.project.localeCompare(b.project) || a.agent.localeCompare(b.agent))
  } catch (e) {
    throw toClawkerError(e, 'listing the agents config volumes')
  }
}

export function readCredentialState(ctx: ServiceContext): Promise<CredentialState> {
  return withVolumeLock(() => readUnlocked(ctx))
}

async function readUnlocked(ctx: ServiceContext): Promise<CredentialState> {
  // Inspected first: mounting a missing global volume would create it, unlabelled.
  const [globalVolume, configs] = await Promise.all([inspectGlobalVolume(ctx), listConfigVolumes(ctx)])
  const volumeInfo = globalVolume
    ? { exists: true, labelled: globalVolume.labelled, name: globalVolume.name }
    : { exists: false, labelled: false, name: `${ctx.prefix}-globals` }
  if (!globalVolume && configs.length === 0) return { globalVolume: volumeInfo, global: null, agents: [] }

  const mounts = [...configs.map((c) => ({ name: c.name, readOnly: true })), ...(globalVolume ? [{ name: globalVolume.name, readOnly: true }] : [])]
  // Docker mounts every volume of the helper for each archive read: the cost grows with the
  // square of the mounts in one helper, so many volumes are read by a few helpers side by side.
  const groups = Array.from({ length: Math.ceil(mounts.length / MAX_VOLUMES_PER_HELPER) }, (_, g) =>
    mounts.slice(g * MAX_VOLUMES_PER_HELPER, (g + 1) * MAX_VOLUMES_PER_HELPER),
  )
  const entries = (
    await Promise.all(groups.map((group) => withVolumes(ctx, group, (h) => Promise.all(group.map((_, i) => h.read(i, CREDENTIALS_FILE))))))
  ).flat()
  const locals = entries.slice(0, configs.length)
  const global: VolumeEntry = globalVolume ? entries[configs.length]! : { type: 'missing' }
  const globalFile = isRegular(global) ? fileInfo(global) : null
  return {
    globalVolume: volumeInfo,
    global: globalFile,
    agents: configs.map((c, i) => {
      const local = locals[i]!
      return {
        volume: c.name,
        project: c.project,
        agent: c.agent,
        linkState: linkState(local, globalFile !== null),
        ...(isRegular(local) ? { local: fileInfo(local) } : {}),
      }
    }),
  }
}
