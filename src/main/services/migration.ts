/**
 * The first-run migration: find every login there is (the global volume, each
 * agent's config volume, the host's own), let the user choose the one to share,
 * and make it so: the chosen login in the global volume (600, uid 1001), every
 * agent's differing local login kept as a backup, every local file replaced by
 * the link the entrypoint makes.
 *
 * Nothing is lost at any point: a source is never modified, and every file is
 * backed up under a new name and read back before it is overwritten. Docker's
 * archive API (the only way into a volume without starting a container) has no
 * rename, so an interrupted run can leave a step half-done; a later run re-reads
 * the state and finishes it. Running it again when all is done changes nothing.
 */
import { createHash } from 'node:crypto'
import type { WizardPlan, WizardReport, WizardScan } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { agentLabel } from '../../shared/agentText'
import { toClawkerError } from '../docker/errors'
import { MANAGED_FILTER } from '../docker/labels'
import type { ServiceContext } from './context'
import { credentialMetadata } from './credentialMetadata'
import { CREDENTIALS_FILE, GLOBAL_CREDENTIALS_PATH } from '../docker/layout'
import { credentialEntryKind, withCredentialFiles, type CredentialFiles } from './credentialState'
import { ensureGlobalVolume } from './globalVolume'
import type { HostLogin } from './hostLogin'
import { CLAUDE, freeBackupName, writeVerified } from './credentialBackup'
import type { VolumeEntry, VolumeHandle } from './volumeArchive'
import { withVolumeLock } from './volumeLock'

export interface MigrationDeps {
  ctx: ServiceContext
  hostLogin: () => Promise<HostLogin>
  firstRun?: boolean
  onProgress?: (step: string) => void
  /** Test hook: stop as if the app were killed after this many volume steps. */
  failAfterVolumes?: number
}

export const loginId = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 12)

const parses = (bytes: Buffer) => {
  try {
    JSON.parse(bytes.toString('utf8'))
    return true
  } catch {
    return false
  }
}


/** Every credentials file there is (CredentialFiles), with the host's login and which volumes running agents use. */
interface Snapshot extends CredentialFiles {
  host: HostLogin
  running: Set<string>
}

/** Config volumes used by running containers: one request. */
async function runningVolumes(ctx: ServiceContext): Promise<Set<string>> {
  const running = await ctx.docker.listContainers({ filters: { label: [MANAGED_FILTER], status: ['running'] } })
  return new Set(running.flatMap((c) => (c.Mounts ?? []).map((m) => m.Name ?? '')).filter(Boolean))
}

function found(entry: VolumeEntry): WizardScan['volumes'][number]['found'] {
  const kind = credentialEntryKind(entry)
  switch (kind) {
    case 'file':
      return entry.type === 'file' && parses(entry.content) ? 'file' : 'invalid'
    case 'not-a-file':
      return 'other-link'
    default:
      return kind
  }
}

function globalFile(entry: VolumeEntry): WizardScan['globalFile'] {
  if (entry.type === 'missing' || entry.type === 'file') return entry.type === 'file' ? 'readable' : 'missing'
  return entry.type === 'large' ? 'too-large' : 'not-a-file'
}

/** Why the shared file is left as it is, or null when it may be backed up and replaced. */
function globalLeftReason(scan: WizardScan): string | null {
  if (scan.globalFile === 'too-large') return 'The shared login file is too large to read (over 1 MiB): left as it is, and nothing else is changed.'
  if (scan.globalFile === 'not-a-file') return 'The shared login path is not a regular file (a link or a folder): left as it is, and nothing else is changed.'
  return null
}

function toScan(s: Snapshot, firstRun: boolean): WizardScan {
  const logins = new Map<string, WizardScan['logins'][number]>()
  const add = (bytes: Buffer, source: string) => {
    if (!parses(bytes)) return null
    const id = loginId(bytes)
    const known = logins.get(id)
    if (known) known.sources.push(source)
    else logins.set(id, { id, sources: [source], ...credentialMetadata(bytes) })
    return id
  }
  const globalLoginId = s.global.type === 'file' ? add(s.global.content, 'shared login (global volume)') : null
  const hostId = s.host.bytes ? add(s.host.bytes, `this computer (${s.host.where})`) : null
  const volumes = s.configs.map((c) => ({
    volume: c.name,
    project: c.project,
    agent: c.agent,
    found: found(c.entry),
    loginId: c.entry.type === 'file' ? add(c.entry.content, `agent ${agentLabel(c)}`) : null,
    running: s.running.has(c.name),
  }))
  const usable = [...logins.values()].filter((l) => l.valid)
  // The default is the login that expires last: the freshest refresh token.
  const best = usable.sort((a, b) => Date.parse(b.expiresAt ?? '0') - Date.parse(a.expiresAt ?? '0'))[0]
  return {
    firstRun,
    globalVolume: s.globalVolume,
    globalLoginId,
    globalFile: globalFile(s.global),
    host: { where: s.host.where, found: !!s.host.bytes, loginId: hostId, error: s.host.error ?? null },
    logins: [...logins.values()],
    defaultLoginId: best?.id ?? null,
    volumes,
  }
}

export function planFor(scan: WizardScan, chosen: string): WizardPlan {
  if (!scan.logins.some((l) => l.id === chosen)) {
    throw new ClawkerError('not-found', 'That login is no longer there. Scan again.', { field: 'loginId' })
  }
  const left = globalLeftReason(scan)
  if (left) {
    // A file not read in full is never backed up, planned over or replaced, and agents are not linked to it.
    return {
      loginId: chosen,
      global: 'left',
      globalReason: left,
      volumes: scan.volumes.map((v) => ({ volume: v.volume, project: v.project, agent: v.agent, action: 'skip', reason: 'left as it is until the shared login file can be read', running: v.running })),
    }
  }
  const unchanged = scan.globalLoginId === chosen
  return {
    loginId: chosen,
    global: unchanged ? 'unchanged' : 'write',
    globalReason: unchanged
      ? 'it already holds the chosen login'
      : scan.globalFile === 'readable'
        ? 'the chosen login replaces it; what it holds now is kept as a backup beside it first'
        : 'the chosen login is written there',
    volumes: scan.volumes.map((v) => {
      const [action, reason] = ((): [WizardPlan['volumes'][number]['action'], string] => {
        switch (v.found) {
          case 'link':
            return ['nothing', 'already linked to the shared login']
          case 'other-link':
            return ['skip', 'its credentials link elsewhere; left as they are']
          case 'invalid':
            return ['skip', 'its credentials file is not valid JSON; left untouched']
          case 'too-large':
            return ['skip', 'its credentials file is too large to read: left as it is']
          case 'signed-out':
            return ['link', 'signed out inside the agent: the link shares the login with it again']
          case 'missing':
            return ['link', 'no credentials yet: it gets the link']
          case 'file':
            return v.loginId === chosen
              ? ['link', 'it holds the chosen login: the link replaces it']
              : ['backup-and-link', 'a different login: kept as a backup, then linked']
        }
      })()
      return { volume: v.volume, project: v.project, agent: v.agent, action, reason, running: v.running }
    }),
  }
}

/** Everything there is, read through the helpers; `then` may write through the same handle. */
async function snapshotWith<T>(deps: MigrationDeps, ensureGlobal: boolean, then: (s: Snapshot, h: VolumeHandle) => Promise<T>): Promise<T> {
  const { ctx } = deps
  const host = await deps.hostLogin()
  if (ensureGlobal) await ensureGlobalVolume(ctx)
  return withVolumeLock(async () => {
    const running = await runningVolumes(ctx)
    return withCredentialFiles(ctx, { readOnly: false }, (files, h) => then({ ...files, host, running }, h))
  })
}

export async function scanLogins(deps: MigrationDeps): Promise<WizardScan> {
  return snapshotWith(deps, false, async (s) => toScan(s, deps.firstRun ?? false))
}


export async function applyMigration(deps: MigrationDeps, chosen: string): Promise<WizardReport> {
  const progress = deps.onProgress ?? (() => {})
  return snapshotWith(deps, true, async (s, h) => {
    const scan = toScan(s, deps.firstRun ?? false)
    const plan = planFor(scan, chosen)
    const sources = [s.host.bytes, s.global.type === 'file' ? s.global.content : undefined, ...s.configs.map((c) => (c.entry.type === 'file' ? c.entry.content : undefined))]
    const bytes = sources.find((b) => b && loginId(b) === chosen)!
    const globalIndex = s.configs.length
    const report: WizardReport = { changed: false, complete: false, message: '', global: 'not-done', globalBackup: null, volumes: [] }
    if (plan.global === 'left') {
      return { ...report, complete: true, global: 'left', message: `${plan.globalReason} Nothing was changed.` }
    }
    try {
      if (plan.global === 'write') {
        progress('Writing the shared login')
        // Only over a file read in full, or nothing: planFor left everything else alone.
        if (s.global.type !== 'file' && s.global.type !== 'missing') throw new ClawkerError('credentials', 'The shared login changed while planning; scan again.')
        // A global volume no agent has mounted yet is root's: make it claude's, private, as the image would.
        await h.ownRoot(globalIndex, { mode: 0o700, ...CLAUDE })
        if (s.global.type === 'file') {
          report.globalBackup = await freeBackupName(h, globalIndex, deps.ctx.now())
          await writeVerified(h, globalIndex, report.globalBackup, s.global.content)
        }
        await writeVerified(h, globalIndex, CREDENTIALS_FILE, bytes)
        report.global = 'written'
        report.changed = true
      } else {
        report.global = 'unchanged'
      }
      let steps = 0
      for (const [i, v] of plan.volumes.entries()) {
        if (deps.failAfterVolumes !== undefined && steps >= deps.failAfterVolumes) {
          throw new ClawkerError('cancelled', `Interrupted after ${steps} volume(s) (test hook).`)
        }
        const entry = s.configs[i]!.entry
        let done: string
        if (v.action === 'nothing') done = 'already linked; nothing to do'
        else if (v.action === 'skip') done = `skipped: ${v.reason}`
        else {
          progress(`Linking ${agentLabel(v)}`)
          let kept = ''
          await h.ownRoot(i, { mode: 0o755, ...CLAUDE })
          if (v.action === 'backup-and-link' && entry.type === 'file') {
            kept = await freeBackupName(h, i, deps.ctx.now())
            await writeVerified(h, i, kept, entry.content)
          }
          await h.writeSymlink(i, CREDENTIALS_FILE, GLOBAL_CREDENTIALS_PATH, CLAUDE)
          done = kept ? `kept its own login as ${kept}, then linked` : 'linked'
          report.changed = true
          steps++
        }
        report.volumes.push({ volume: v.volume, project: v.project, agent: v.agent, done, restartNeeded: v.running && v.action !== 'nothing' && v.action !== 'skip' })
      }
      report.complete = true
      report.message = report.changed
        ? 'Done: every agent shares the chosen login.'
        : 'Nothing to do: everything already shares the chosen login.'
      if (report.globalBackup) report.message += ` The shared login it replaced is kept as ${report.globalBackup} in ${s.globalVolume.name}.`
      if (report.volumes.some((v) => v.restartNeeded)) report.message += ' Restart the agents marked as running so they read it.'
      return report
    } catch (e) {
      const err = e instanceof ClawkerError ? e : toClawkerError(e, 'migrating credentials')
      report.message = `Stopped: ${err.message} What is listed was done; nothing was lost. Run the wizard again to finish.`
      return report
    }
  })
}

