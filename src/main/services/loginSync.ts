/**
 * One login across engines. Each engine has its own `clawker-globals`; the main
 * process reads every connected engine's shared login (metadata only leaves this
 * module), and when one is usable and newer (claudeAiOauth.expiresAt) than
 * another's, copies it there byte for byte through the engine API, the old
 * content kept first as `.credentials.json.bak-<stamp>`, as the wizard does.
 * Files over 1 MiB and anything that is not a regular file are left alone.
 */
import type { CredentialFileInfo } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { CREDENTIALS_FILE, AGENT_USER } from '../docker/layout'
import type { ServiceContext } from './context'
import { freeBackupName, writeVerified } from './credentialBackup'
import { fileInfo, isRegular } from './credentialState'
import { ensureGlobalVolume, inspectGlobalVolume } from './globalVolume'
import { withVolumes, type VolumeEntry } from './volumeArchive'
import { withVolumeLock } from './volumeLock'

export interface EngineForSync {
  engine: string
  name: string
  ctx: ServiceContext
  syncLogin: boolean
}

export interface EngineLogin {
  engine: string
  name: string
  syncLogin: boolean
  login: CredentialFileInfo | null
  error: string | null
}

export interface LoginCopy {
  from: string
  to: string
  /** The name the target's previous login was kept under, if it had one. */
  backup: string | null
}

/** The shared credentials file of one engine, read without creating its global volume. */
async function readGlobal(ctx: ServiceContext): Promise<VolumeEntry> {
  const volume = await inspectGlobalVolume(ctx)
  if (!volume) return { type: 'missing' }
  return withVolumes(ctx, [{ name: volume.name, readOnly: true }], (h) => h.read(0, CREDENTIALS_FILE))
}

const expiry = (info: CredentialFileInfo | null) => (info?.login === 'usable' && info.expiresAt ? Date.parse(info.expiresAt) : 0)

/** Every engine's shared login, as metadata; an engine that cannot be read says why. */
export async function readEngineLogins(engines: EngineForSync[]): Promise<EngineLogin[]> {
  const read = await Promise.all(engines.map((e) => withVolumeLock(() => readGlobal(e.ctx)).then((entry) => ({ entry }), (err: unknown) => ({ err }))))
  return engines.map((e, i) => {
    const r = read[i]!
    const base = { engine: e.engine, name: e.name, syncLogin: e.syncLogin }
    if ('err' in r) return { ...base, login: null, error: r.err instanceof Error ? r.err.message : String(r.err) }
    return { ...base, login: isRegular(r.entry) ? fileInfo(r.entry) : null, error: null }
  })
}

/** A pass that finds a target's login changed under it reads again at once, this many times at most. */
const PASSES_WHEN_CHANGED = 3

/**
 * Copies the newest usable login to every other engine (of those with sync on) whose own is
 * older, blank or missing. Returns what it copied; an engine that fails is skipped, not fatal.
 * The engines and their sync settings are asked for once the volume lock is held, and again
 * before each copy: a pass that waited while sync was turned off for an engine leaves it alone.
 * A login written while the pass read (an agent's refresh) is read again at once, not at the
 * next pass.
 */
export async function syncLogins(engines: () => EngineForSync[]): Promise<LoginCopy[]> {
  return withVolumeLock(async () => {
    const copies: LoginCopy[] = []
    for (let i = 0; i < PASSES_WHEN_CHANGED; i++) {
      const pass = await copyNewest(engines)
      copies.push(...pass.copies)
      if (!pass.changedMeanwhile) break
    }
    return copies
  })
}

class ChangedMeanwhile extends ClawkerError {
  constructor(engine: string) {
    super('credentials', `The shared login of ${engine} changed meanwhile; it is read again.`)
  }
}

async function copyNewest(engines: () => EngineForSync[]): Promise<{ copies: LoginCopy[]; changedMeanwhile: boolean }> {
  const copies: LoginCopy[] = []
  let changedMeanwhile = false
  const on = engines().filter((e) => e.syncLogin)
  if (on.length < 2) return { copies, changedMeanwhile }
  const entries = await Promise.all(on.map((e) => readGlobal(e.ctx).catch(() => undefined)))
  const infos = entries.map((entry) => (entry && isRegular(entry) ? fileInfo(entry) : null))
  let best = -1
  infos.forEach((info, i) => {
    if (expiry(info) > (best === -1 ? 0 : expiry(infos[best]!))) best = i
  })
  if (best === -1) return { copies, changedMeanwhile }
  const source = entries[best]
  if (source?.type !== 'file') return { copies, changedMeanwhile }
  for (const [i, target] of on.entries()) {
    const entry = entries[i]
    if (i === best || !entry) continue
    // Only over nothing or over a file read in full: never over a large file, a link or a folder.
    if (entry.type !== 'missing' && entry.type !== 'file') continue
    if (expiry(infos[i]!) >= expiry(infos[best]!)) continue
    if (!engines().some((e) => e.engine === target.engine && e.syncLogin)) continue
    try {
      copies.push(await copyLogin(target.ctx, entry, source.content, on[best]!.engine, target.engine))
    } catch (e) {
      // That engine is skipped this time; the next pass (at once if it changed) tries again.
      if (e instanceof ChangedMeanwhile) changedMeanwhile = true
    }
  }
  return { copies, changedMeanwhile }
}

async function copyLogin(ctx: ServiceContext, current: VolumeEntry, bytes: Buffer, from: string, to: string): Promise<LoginCopy> {
  const volume = await ensureGlobalVolume(ctx)
  return withVolumes(ctx, [{ name: volume.name }], async (h) => {
    // Read again under this helper: what is replaced is what gets backed up.
    const now = await h.read(0, CREDENTIALS_FILE)
    if (now.type !== current.type || (now.type === 'file' && current.type === 'file' && !now.content.equals(current.content))) {
      throw new ChangedMeanwhile(to)
    }
    // A global volume no agent has mounted yet is root's: make it claude's, private, as the image would.
    await h.ownRoot(0, { mode: 0o700, uid: AGENT_USER.uid, gid: AGENT_USER.gid })
    let backup: string | null = null
    if (now.type === 'file') {
      backup = await freeBackupName(h, 0, ctx.now())
      await writeVerified(h, 0, backup, now.content)
    }
    await writeVerified(h, 0, CREDENTIALS_FILE, bytes)
    return { from, to, backup }
  })
}
