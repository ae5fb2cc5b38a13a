/**
 * The application core without Electron: the engine connection, the services
 * and the event hub. Electron's shell and the browser-mode server both run it.
 */
import { join } from 'node:path'
import { homedir } from 'node:os'
import { EngineMonitor, type DockerEvent } from '../docker/monitor'
import { engineCandidates, systemDiscoveryEnv, type DiscoveryEnv } from '../docker/connection'
import { LABEL } from '../docker/labels'
import { NAME_PREFIX } from '../docker/names'
import { EventHub } from './eventHub'
import { createHandlers } from './handlers'
import { TerminalSessions } from '../services/terminals'
import { SettingsStore } from '../services/settings'
import type { QuickLaunchMenu } from '../../shared/contract'
import type { Handlers } from './dispatch'

export interface AppOptions {
  /** Name prefix of every resource; only tests change it (CLAWKER_NAME_PREFIX). */
  prefix?: string
  /** Where settings live (CLAWKER_DATA_DIR overrides the platform's folder). */
  dataDir?: string
  discovery?: DiscoveryEnv
  appVersion?: string
  /** The native folder picker, given by the Electron shell. */
  chooseFolder?: (title: string) => Promise<string | null>
  /** The native file picker (the build's CA certificate), given by the Electron shell. */
  chooseFile?: (title: string) => Promise<string | null>
  /** Docker network mode for new agents and builds (CLAWKER_NETWORK_MODE; tests use 'none'). */
  networkMode?: string
}

export interface ClawkerApp {
  readonly hub: EventHub
  readonly monitor: EngineMonitor
  readonly handlers: Handlers
  readonly prefix: string
  readonly dataDir: string
  readonly settings: SettingsStore
  quickLaunchMenu(): Promise<QuickLaunchMenu>
  start(): Promise<void>
  stop(): Promise<void>
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAWKER_DATA_DIR) return env.CLAWKER_DATA_DIR
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

/** The shell itself (tray, notifications) calling a handler: no window owns what it opens. */
const systemCaller = { id: 'system', emit: () => {}, onClose: () => {} }

/**
 * Docker publishes a container's "die" a moment before its list view says
 * "exited": a list made at once can still read "running", and a killed container
 * sends no later event to correct it. So agent events are passed on once they
 * pause for a moment, which also turns kill-die-stop into one refresh.
 */
export const AGENT_EVENT_SETTLE_MS = 60

export function createApp(opts: AppOptions = {}): ClawkerApp {
  const prefix = opts.prefix ?? process.env.CLAWKER_NAME_PREFIX ?? NAME_PREFIX
  const discovery = opts.discovery ?? systemDiscoveryEnv()
  const hub = new EventHub()
  let settle: NodeJS.Timeout | undefined
  const agentsChanged = (id: string, action: string) => {
    clearTimeout(settle)
    settle = setTimeout(() => hub.emit('agents.changed', { id, action }), AGENT_EVENT_SETTLE_MS)
  }
  const monitor = new EngineMonitor({
    candidates: () => engineCandidates(discovery),
    onStatus: (status) => {
      hub.emit('engine.status', status)
      // Whatever the renderer showed may be stale after the engine came or went.
      hub.emit('agents.changed', { action: 'engine' })
      hub.emit('credentials.changed', {})
    },
    onEvent: (e) => {
      if (isAgentEvent(e, prefix)) {
        agentsChanged(e.Actor.ID, e.Action)
        const exitCode = Number(e.Actor.Attributes.exitCode ?? 0)
        if (e.Action === 'die' && exitCode !== 0) {
          const a = e.Actor.Attributes
          hub.emit('agents.exited', { project: a[LABEL.project] ?? '', agent: a[LABEL.agent] ?? '', exitCode })
        }
        if (e.Action === 'start' || e.Action === 'die' || e.Action === 'destroy') hub.emit('credentials.changed', {})
      }
    },
  })
  const dataDir = opts.dataDir ?? defaultDataDir()
  const terminals = new TerminalSessions(() => monitor.client(), prefix)
  const settings = new SettingsStore(dataDir)
  if (settings.warning) console.warn(`Clawker Desktop: ${settings.warning}`)
  const handlers = createHandlers({
    terminals,
    settings,
    networkMode: opts.networkMode ?? process.env.CLAWKER_NETWORK_MODE,
    ...(opts.chooseFolder ? { chooseFolder: opts.chooseFolder } : {}),
    ...(opts.chooseFile ? { chooseFile: opts.chooseFile } : {}),
    ...(/^\d+$/.test(process.env.CLAWKER_KEEPER_INTERVAL ?? '') ? { keeperIntervalSeconds: Number(process.env.CLAWKER_KEEPER_INTERVAL) } : {}),
    ...(process.env.CLAWKER_TEST_WIZARD_FAIL_AFTER ? { wizardFailAfter: Number(process.env.CLAWKER_TEST_WIZARD_FAIL_AFTER) } : {}),
    monitor,
    hub,
    prefix,
    appVersion: opts.appVersion ?? process.env.npm_package_version ?? '0.0.0',
  })
  return {
    hub,
    monitor,
    handlers,
    prefix,
    dataDir,
    settings,
    quickLaunchMenu: () => handlers['quickLaunch.menu']({}, systemCaller),
    start: () => monitor.start(),
    stop: async () => {
      terminals.closeAll()
      await monitor.stop()
    },
  }
}
