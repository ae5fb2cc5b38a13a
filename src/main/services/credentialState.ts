/**
 * The credentials files there are, read one way for everyone: the shared
 * credential state the window shows (the global volume, its login's metadata,
 * every agent's link state) and the wizard's scan. All volumes are read through
 * a few helper containers (never one per volume), one archive read per file, in
 * parallel: the state shown binds the engine's volumes folder where it can
 * (volumesFolder.ts), the wizard mounts what it may write. Never a token: only
 * metadata leaves this module.
 */
import type { CredentialFileInfo, CredentialState, LinkState } from '../../shared/contract'
import { toClawkerError } from '../docker/errors'
import { refFromLabels } from '../docker/labels'
import { CONFIG_VOLUME_FILTER, CREDENTIALS_FILE, GLOBAL_CREDENTIALS_PATH, SIGNED_OUT_TARGET, globalVolume } from '../docker/layout'
import type { ServiceContext } from './context'
import { credentialMetadata, noLogin } from './credentialMetadata'
import { findGlobalVolume } from './globalVolume'
import { withVolumes, type VolumeEntry, type VolumeHandle } from './volumeArchive'
import { readInEveryVolume, whereOf, type VolumeWhere } from './volumesFolder'
import { withVolumeLock } from './volumeLock'

export interface ConfigVolume {
  name: string
  project: string
  agent: string
  /** Where the engine keeps it (never sent to the window). */
  where: VolumeWhere
}

/** What is at a credentials path, as far as sharing the login is concerned. */
export type CredentialEntryKind = 'link' | 'signed-out' | 'other-link' | 'file' | 'too-large' | 'missing' | 'not-a-file'

/** The one classifier of a credentials path: the window's link state and the wizard's scan both start here. */
export function credentialEntryKind(entry: VolumeEntry): CredentialEntryKind {
  switch (entry.type) {
    case 'symlink':
      return entry.target === GLOBAL_CREDENTIALS_PATH ? 'link' : entry.target === SIGNED_OUT_TARGET ? 'signed-out' : 'other-link'
    case 'file':
      return 'file'
    case 'large':
      return 'too-large'
    case 'missing':
      return 'missing'
    default:
      return 'not-a-file'
  }
}

export function fileInfo(entry: Extract<VolumeEntry, { type: 'file' | 'large' }>): CredentialFileInfo {
  const mode = (entry.mode & 0o777).toString(8)
  const metadata = entry.type === 'file' ? credentialMetadata(entry.content) : noLogin('too-large')
  return { kind: 'file', mode, uid: entry.uid, gid: entry.gid, modeOk: mode === '600', ...metadata }
}

/** A regular file at a credentials path, read or not. */
export const isRegular = (e: VolumeEntry): e is Extract<VolumeEntry, { type: 'file' | 'large' }> => e.type === 'file' || e.type === 'large'

export function linkState(local: VolumeEntry, globalExists: boolean): LinkState {
  const kind = credentialEntryKind(local)
  switch (kind) {
    case 'link':
      return globalExists ? 'linked' : 'dangling'
    case 'file':
      return globalExists ? 'diverged' : 'waiting-to-migrate'
    case 'missing':
      return 'none'
    case 'not-a-file':
      return 'other-link'
    default:
      return kind
  }
}

/**
 * A link state from before, as it reads with the shared login as it is now: a link to it, or a
 * file of the agent's own, is read the same whatever the shared login, but named by it.
 */
export function withSharedLogin(state: LinkState, globalExists: boolean): LinkState {
  if (state === 'linked' || state === 'dangling') return globalExists ? 'linked' : 'dangling'
  if (state === 'diverged' || state === 'waiting-to-migrate') return globalExists ? 'diverged' : 'waiting-to-migrate'
  return state
}

/** Config volumes of every agent: one request, by label, limited to the prefix. */
export async function listConfigVolumes(ctx: ServiceContext): Promise<ConfigVolume[]> {
  try {
    const { Volumes } = await ctx.docker.listVolumes({ filters: { label: CONFIG_VOLUME_FILTER } })
    return (Volumes ?? [])
      .flatMap((v) => {
        const ref = refFromLabels(v.Labels)
        return v.Name.startsWith(`${ctx.prefix}.`) && ref ? [{ name: v.Name, ...ref, where: whereOf(v) }] : []
      })
      .sort((a, b) => a.project.localeCompare(b.project) || a.agent.localeCompare(b.agent))
  } catch (e) {
    throw toClawkerError(e, 'listing the agents config volumes')
  }
}

export interface CredentialFiles {
  globalVolume: CredentialState['globalVolume']
  global: VolumeEntry
  configs: Array<ConfigVolume & { entry: VolumeEntry }>
  /** Config volumes the caller asked to leave unread (not mounted). */
  skipped: ConfigVolume[]
}

/** The volumes whose credentials files are read: every agent's config volume, then the global one. */
async function credentialVolumes(ctx: ServiceContext, skip: ((volume: string) => boolean) | undefined) {
  const [volume, listed] = await Promise.all([findGlobalVolume(ctx), listConfigVolumes(ctx)])
  const skipped = skip ? listed.filter((c) => skip(c.name)) : []
  const configs = skipped.length ? listed.filter((c) => !skipped.includes(c)) : listed
  const globalVolumeInfo = volume ? { exists: true, labelled: volume.labelled, name: volume.name } : { exists: false, labelled: false, name: globalVolume(ctx.prefix).name }
  const volumes = [...configs, ...(volume ? [volume] : [])]
  const files = (entries: VolumeEntry[]): CredentialFiles => ({
    globalVolume: globalVolumeInfo,
    global: volume ? entries[configs.length]! : { type: 'missing' },
    configs: configs.map((c, i) => ({ ...c, entry: entries[i]! })),
    skipped,
  })
  return { volumes, files }
}

/**
 * Reads every credentials file (the global volume's and each agent's), then runs `then` with
 * the same handle, on which the global volume is index `configs.length`. Callers hold the
 * volume lock. The global volume is inspected first: mounting a missing one would create it,
 * unlabelled.
 */
export async function withCredentialFiles<T>(
  ctx: ServiceContext,
  opts: { readOnly: boolean; skip?: (volume: string) => boolean },
  then: (files: CredentialFiles, handle: VolumeHandle) => Promise<T>,
): Promise<T> {
  const { volumes, files } = await credentialVolumes(ctx, opts.skip)
  const mounts = volumes.map((v) => ({ name: v.name, readOnly: opts.readOnly }))
  return withVolumes(ctx, mounts, async (h) => then(files(await Promise.all(mounts.map((_, i) => h.read(i, CREDENTIALS_FILE)))), h))
}

type AgentCredentialState = CredentialState['agents'][number]

/**
 * The credential state. `reuse` may give a config volume's state from before instead of a read
 * (the volume is then not read at all): for an agent whose volumes are about to be removed.
 */
export function readCredentialState(ctx: ServiceContext, reuse?: (volume: string) => AgentCredentialState | undefined): Promise<CredentialState> {
  // Asked once a volume: what is left unread is what is shown from before.
  const kept = new Map<string, AgentCredentialState>()
  const skip = (volume: string) => {
    const before = reuse?.(volume)
    if (before) kept.set(volume, before)
    return before !== undefined
  }
  return withVolumeLock(async () => {
    const { volumes, files } = await credentialVolumes(ctx, reuse ? skip : undefined)
    const { globalVolume, global, configs, skipped } = files(await readInEveryVolume(ctx, volumes, CREDENTIALS_FILE))
    const globalFile = isRegular(global) ? fileInfo(global) : null
    const read: AgentCredentialState[] = configs.map((c) => ({
      volume: c.name,
      project: c.project,
      agent: c.agent,
      linkState: linkState(c.entry, globalFile !== null),
      ...(isRegular(c.entry) ? { local: fileInfo(c.entry) } : {}),
    }))
    if (skipped.length === 0) return { globalVolume, global: globalFile, agents: read }
    const before = skipped.map((c) => {
      const state = kept.get(c.name)!
      return { ...state, linkState: withSharedLogin(state.linkState, globalFile !== null) }
    })
    return { globalVolume, global: globalFile, agents: [...read, ...before].sort((a, b) => a.project.localeCompare(b.project) || a.agent.localeCompare(b.agent)) }
  })
}
