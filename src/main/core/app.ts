/**
 * The application core without Electron: the engine connection, the services
 * and the event hub. Electron's shell and the browser-mode server both run it.
 */
import { join } from 'node:path'
import { homedir } from 'node:os'
import type { EngineMonitor, DockerEvent } from '../docker/monitor'
import { engineCandidates, systemDiscoveryEnv, type DiscoveryEnv } from '../docker/connection'
import { LABEL } from '../docker/labels'
import { containerVolumeName, globalVolumeName, NAME_PREFIX } from '../docker/names'
import { EventHub } from './eventHub'
import { createHandlers } from './handlers'
import { TerminalSessions } from '../services/terminals'
import { SettingsStore } from '../services/settings'
import { RequestedStops } from './requestedStops'
import { RecentRemovals } from './recentRemovals'
import { StatsWatches } from '../services/statsWatch'
import { STATS_WATCH_MAX } from '../../shared/contract'
import type { QuickLaunchMenu } from '../../shared/contract'
import type { Handlers } from './dispatch'
import { EngineSet, LOCAL_ENGINE } from './engines'
import { singleFlight } from './singleFlight'
import { serviceContext } from '../services/context'
import { readEngineLogins, syncLogins, type EngineForSync } from '../services/loginSync'

/** What an entry tells the core; entryOptions.ts reads them from the environment. */
export interface AppOptions {
  /** Name prefix of every resource; only tests change it (CLAWKER_NAME_PREFIX). */
  prefix?: string
  /** Where settings live (CLAWKER_DATA_DIR overrides the platform's folder). */
  dataDir?: string
  discovery?: DiscoveryEnv
  appVersion?: string
  /** The native folder picker, given by the Electron shell. */
  chooseFolder?: (title: string) => Promise<string | null>
  /** Opens a checked http(s) link in the user's browser, given by the Electron shell. */
  openExternal?: (url: string) => Promise<void>
  /** The native file picker (the build's CA certificate), given by the Electron shell. */
  chooseFile?: (title: string) => Promise<string | null>
  /** Docker network mode for new agents and builds (CLAWKER_NETWORK_MODE; tests use 'none'). */
  networkMode?: string
  /** The keeper interval given to new agents (CLAWKER_KEEPER_INTERVAL); the entrypoint's default when unset. */
  keeperIntervalSeconds?: number
  /** How long one list of agents serves callers while no agent event came (tests make it long). */
  agentListShareMs?: number
  /** Test hook: the wizard stops as if killed after this many volumes (CLAWKER_TEST_WIZARD_FAIL_AFTER). */
  wizardFailAfter?: number
}

export interface ClawkerApp {
  readonly hub: EventHub
  /** The local engine's monitor (engines.local). */
  readonly monitor: EngineMonitor
  readonly engines: EngineSet
  /** Open terminal sessions (each an attach, exec or logs stream to an engine). */
  readonly terminals: TerminalSessions
  /** The CPU and memory streams windows watch. */
  readonly stats: StatsWatches
  readonly handlers: Handlers
  readonly prefix: string
  readonly dataDir: string
  readonly settings: SettingsStore
  quickLaunchMenu(): Promise<QuickLaunchMenu>
  /** One pass of keeping the login in step across engines (the app also runs it by itself). */
  syncLoginsNow(): Promise<Array<{ from: string; to: string; backup: string | null }>>
  start(): Promise<void>
  stop(): Promise<void>
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Clawker Desktop')
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Clawker Desktop')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'clawker-desktop')
}

/** Whether a Docker event concerns one of our agents (by label, and by the run's name prefix). */
export function isAgentEvent(e: DockerEvent, prefix: string): boolean {
  if (e.Type !== 'container') return false
  const a = e.Actor?.Attributes ?? {}
  return a[LABEL.managed] === 'true' && (a.name ?? '').startsWith(`${prefix}.`)
}

/**
 * Whether a Docker event is one of our volumes removed: the Credentials panel lists agents by their
 * volumes. Not "create": the engine says it for an existing volume each time a container mounts it,
 * the credential reader's helpers included (a loop); a new agent's volumes come with its container's events.
 */
export function isAgentVolumeEvent(e: DockerEvent, prefix: string): boolean {
  if (e.Type !== 'volume' || e.Action !== 'destroy') return false
  const name = e.Actor?.ID ?? ''
  return name.startsWith(`${prefix}.`) || name === globalVolumeName('globals', prefix)
}

/** Agent container events after which the credential state may differ. */
const CREDENTIAL_EVENTS = new Set(['create', 'start', 'destroy'])

/** The shell itself (tray, notifications) calling a handler: no window owns what it opens. */
const systemCaller = { id: 'system', emit: () => {}, onClose: () => {} }

/**
 * Docker publishes a container's "die" a moment before its list view says
 * "exited": a list made at once can still read "running", and a killed container
 * sends no later event to correct it. So agent events are passed on once they
 * pause for a moment, which also turns kill-die-stop into one refresh.
 */
export const AGENT_EVENT_SETTLE_MS = 60
/** Stats streams over every window (each browser-mode socket is one): a few windows' worth. */
const STATS_WATCH_MAX_TOTAL = 4 * STATS_WATCH_MAX
/** How many times an ended container's state is asked for before the window is told anyway. */
const DIE_CONFIRM_TRIES = 20

/**
 * How often the shared logins of connected engines are compared, while two or more are
 * connected: the keeper's writes inside a volume raise no Docker event to wait on.
 */
export const LOGIN_SYNC_MS = 4000

export function createApp(opts: AppOptions = {}): ClawkerApp {
  const prefix = opts.prefix ?? NAME_PREFIX
  const discovery = opts.discovery ?? systemDiscoveryEnv()
  const hub = new EventHub()
  const requestedStops = new RequestedStops()
  const recentRemovals = new RecentRemovals()
  let settle: NodeJS.Timeout | undefined
  /**
   * After a container ended, Docker's list can say "running" for a while yet (longer on a loaded
   * machine than the settle time): ask that one container, a few times, until it agrees.
   */
  const ended = async (engine: string, id: string) => {
    for (let i = 0; i < DIE_CONFIRM_TRIES; i++) {
      const [c] = await engines.client(engine).listContainers({ all: true, filters: { id: [id] } }).catch(() => [])
      if (!c || c.State !== 'running') return
      await new Promise((r) => setTimeout(r, AGENT_EVENT_SETTLE_MS))
    }
  }
  const agentsChanged = (engine: string, id: string, action: string) => {
    clearTimeout(settle)
    settle = setTimeout(() => {
      const ready = action === 'die' || action === 'kill' || action === 'oom' ? ended(engine, id) : Promise.resolve()
      void ready.then(() => hub.emit('agents.changed', { id, action }))
    }, AGENT_EVENT_SETTLE_MS)
  }
  // Before the engines: their events close streams. Its client is read at each open, after they exist.
  const stats = new StatsWatches({ client: (engine) => engines.client(engine), prefix, maxPerClient: STATS_WATCH_MAX, maxTotal: STATS_WATCH_MAX_TOTAL })
  const dataDir = opts.dataDir ?? defaultDataDir()
  const settings = new SettingsStore(dataDir)
  if (settings.warning) console.warn(`Clawker Desktop: ${settings.warning}`)
  const engines: EngineSet = new EngineSet({
    localCandidates: () => engineCandidates(discovery),
    discovery,
    syncOff: () => settings.get().loginSyncOff,
    onStatus: (id, status) => {
      if (id === LOCAL_ENGINE) hub.emit('engine.status', status)
      hub.emit('engines.changed', {})
      // Whatever the renderer showed may be stale after an engine came or went.
      hub.emit('agents.changed', { action: 'engine' })
      hub.emit('credentials.changed', {})
      if (status.state === 'connected') void syncNow().catch(() => {})
      // The window's first question, asked as soon as the engine answers: a page that opens
      // meanwhile shares this list (no agent event since) instead of waiting for its own.
      if (id === LOCAL_ENGINE && status.state === 'connected') void handlers['agents.list']({}, systemCaller).catch(() => {})
    },
    onEvent: (engine, e) => {
      if (isAgentEvent(e, prefix)) {
        // Marks are per engine: two engines may each have an agent of the same name.
        const name = `${engine}/${e.Actor.Attributes.name ?? ''}`
        if (e.Action === 'start' || e.Action === 'destroy') requestedStops.clear(name)
        if (e.Action === 'destroy' && engine === LOCAL_ENGINE) recentRemovals.mark(containerVolumeName(e.Actor.Attributes.name ?? '', 'config'))
        if (e.Action === 'die' || e.Action === 'destroy') stats.ended(engine, e.Actor.Attributes.name ?? '')
        if (e.Action === 'start') stats.started(engine, e.Actor.Attributes.name ?? '')
        agentsChanged(engine, e.Actor.ID, e.Action)
        const exitCode = Number(e.Actor.Attributes.exitCode ?? 0)
        // Only an exit nobody asked for is news: a stop or remove from the window is not a crash.
        if (e.Action === 'die' && exitCode !== 0 && !requestedStops.has(name)) {
          const a = e.Actor.Attributes
          hub.emit('agents.exited', { project: a[LABEL.project] ?? '', agent: a[LABEL.agent] ?? '', exitCode })
        }
        // The one place that decides when the window reads the credential state again: a new agent
        // (its config volume is listed), a start (the entrypoint links), a removal. Not on a die: it
        // changes no file in a volume, and `docker rm -f` (or the clawker CLI) goes on to remove the
        // volumes, which a read holding them would find in use.
        if (CREDENTIAL_EVENTS.has(e.Action)) hub.emit('credentials.changed', {})
      } else if (isAgentVolumeEvent(e, prefix)) {
        hub.emit('credentials.changed', {})
      }
    },
  })
  for (const cfg of settings.get().engines) {
    try {
      engines.add(cfg)
    } catch (e) {
      console.warn(`Clawker Desktop: engine ${cfg.name} from the settings was not added: ${(e as Error).message}`)
    }
  }
  const monitor = engines.local
  const syncTargets = (): EngineForSync[] => {
    const off = new Set(settings.get().loginSyncOff)
    return engines
      .list()
      .filter((e) => e.status.state === 'connected')
      .map((e) => ({ engine: e.id, name: e.name, syncLogin: !off.has(e.id), ctx: serviceContext(engines.client(e.id), { prefix, engine: e.id }) }))
  }
  const syncNow = singleFlight(async () => {
    const copies = await syncLogins(syncTargets)
    if (copies.length) hub.emit('credentials.changed', {})
    return copies
  })
  let syncTimer: NodeJS.Timeout | undefined
  const terminals = new TerminalSessions((engine) => engines.client(engine), prefix)
  const handlers = createHandlers({
    terminals,
    requestedStops,
    recentRemovals,
    stats,
    settings,
    ...(opts.networkMode ? { networkMode: opts.networkMode } : {}),
    ...(opts.chooseFolder ? { chooseFolder: opts.chooseFolder } : {}),
    ...(opts.openExternal ? { openExternal: opts.openExternal } : {}),
    ...(opts.chooseFile ? { chooseFile: opts.chooseFile } : {}),
    ...(opts.keeperIntervalSeconds === undefined ? {} : { keeperIntervalSeconds: opts.keeperIntervalSeconds }),
    ...(opts.agentListShareMs === undefined ? {} : { agentListShareMs: opts.agentListShareMs }),
    ...(opts.wizardFailAfter === undefined ? {} : { wizardFailAfter: opts.wizardFailAfter }),
    engines,
    hub,
    prefix,
    appVersion: opts.appVersion ?? '0.0.0',
    engineLogins: () => readEngineLogins(syncTargets()),
    addEngine: async (cfg) => {
      engines.add(cfg)
      await settings.update((s) => ({ ...s, engines: [...s.engines.filter((e) => e.name !== cfg.name), cfg] }))
      hub.emit('engines.changed', {})
    },
    removeEngine: async (id) => {
      await engines.remove(id)
      await settings.update((s) => ({ ...s, engines: s.engines.filter((e) => e.name !== id), loginSyncOff: s.loginSyncOff.filter((x) => x !== id) }))
      hub.emit('engines.changed', {})
      hub.emit('agents.changed', { action: 'engine' })
    },
  })
  return {
    hub,
    monitor,
    engines,
    terminals,
    stats,
    handlers,
    prefix,
    dataDir,
    settings,
    quickLaunchMenu: () => handlers['quickLaunch.menu']({}, systemCaller),
    syncLoginsNow: () => syncNow(),
    start: async () => {
      await engines.start()
      syncTimer = setInterval(() => {
        if (engines.connected().length > 1) void syncNow().catch(() => {})
      }, LOGIN_SYNC_MS)
      syncTimer.unref()
    },
    stop: async () => {
      clearInterval(syncTimer)
      terminals.closeAll()
      stats.closeAll()
      await engines.stop()
    },
  }
}
