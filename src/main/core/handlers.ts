/** The contract's handlers: dispatch has validated the request; each calls one service. */
import { ClawkerError } from '../../shared/errors'
import { openableUrl } from '../../shared/links'
import { listContexts, systemDiscoveryEnv } from '../docker/connection'
import { LOCAL_ENGINE, type EngineSet } from './engines'
import type { AgentSummary, Channel } from '../../shared/contract'
import { processMayRun } from '../../shared/agentState'
import type { EventHub } from './eventHub'
import type { Handlers } from './dispatch'
import type { TerminalSessions } from '../services/terminals'
import { terminalHandlers } from './terminalHandlers'
import type { RemoteEngineConfig, SettingsStore } from '../services/settings'
import { serviceContext, type ServiceContext } from '../services/context'
import {
  createAgent,
  listAgents,
  removeAgent,
  restartAgent,
  startAgent,
  stopAgent,
  stopProject,
} from '../services/agents'
import { buildProjectImage, listImages } from '../services/images'
import { containerName, containerVolumeName, normaliseName } from '../docker/names'
import type { RequestedStops } from './requestedStops'
import { buildQuickLaunchMenu } from './quickLaunchMenu'
import { singleFlight } from './singleFlight'
import { sharedRead } from './sharedRead'
import { readCredentialState } from '../services/credentialState'
import { applyMigration, planFor, scanLogins, type MigrationDeps } from '../services/migration'
import { readHostLogin, type HostLogin } from '../services/hostLogin'
import { signOutEveryAgent } from '../services/signOut'
import type { StatsWatches } from '../services/statsWatch'
import type { CredentialState, ManyResult } from '../../shared/contract'
import type { RecentRemovals } from './recentRemovals'
import { limiter } from '../limiter'

export interface HandlerDeps {
  engines: EngineSet
  hub: EventHub
  prefix: string
  appVersion: string
  terminals: TerminalSessions
  settings: SettingsStore
  /** Stops and removals the user asked for: their exits are not crashes. */
  requestedStops: RequestedStops
  /** CPU and memory streams of the agents each window shows. */
  stats: StatsWatches
  /** Agents of the local engine whose container was just destroyed (by config volume). */
  recentRemovals: RecentRemovals
  /** Docker network mode for new agents and builds; unset uses Docker's default. */
  networkMode?: string
  /** The keeper interval given to new agents (CLAWKER_KEEPER_INTERVAL); the entrypoint's default when unset. */
  keeperIntervalSeconds?: number
  /** How long one list of agents serves callers while no agent event came; AGENT_LIST_SHARE_MS by default. */
  agentListShareMs?: number
  /** The shell's native folder picker; none in the browser mode. */
  chooseFolder?: (title: string) => Promise<string | null>
  /** The shell's way to open a link in the user's browser; none in the browser mode (the page opens a tab). */
  openExternal?: (url: string) => Promise<void>
  /** The shell's native file picker; none in the browser mode. */
  chooseFile?: (title: string) => Promise<string | null>
  /** The host's own login; tests give a temporary HOME. */
  hostLogin?: () => Promise<HostLogin>
  /** Test hook for the wizard's crash-safety test (CLAWKER_TEST_WIZARD_FAIL_AFTER). */
  wizardFailAfter?: number
  /** Each connected engine's shared login, for the Credentials panel. */
  engineLogins: () => Promise<import('../services/loginSync').EngineLogin[]>
  /** Adds or removes a remote engine and keeps settings in step. */
  addEngine(cfg: RemoteEngineConfig): Promise<void>
  removeEngine(id: string): Promise<void>
}

/** How many agents of a selection are acted on at once: the engine stays responsive for the rest. */
const MANY_CONCURRENCY = 8
/** How long one list of agents may serve callers while no agent event came (its "Up 5 minutes" ages). */
export const AGENT_LIST_SHARE_MS = 2000
/** The handlers that change what agents.list says (opening an agent's terminal starts it when it is not running). */
const AGENT_ACTIONS = [
  'agents.create',
  'agents.start',
  'agents.stop',
  'agents.restart',
  'agents.remove',
  'agents.startMany',
  'agents.stopMany',
  'agents.removeMany',
  'projects.stopAll',
  'terminal.open',
] as const satisfies readonly Channel[]

export function createHandlers(deps: HandlerDeps): Handlers {
  /** A context on an engine as it is now (it may have reconnected since the last call); the local one by default. */
  const ctx = (engine: string = LOCAL_ENGINE): ServiceContext =>
    serviceContext(deps.engines.client(engine), { prefix: deps.prefix, appVersion: deps.appVersion, engine })
  const ref = (r: { project: string; agent: string }) => ({ project: r.project, agent: r.agent })
  /** Every connected engine's agents, one list request each, side by side; an engine that fails is left out (its status says why). */
  const allAgents = async () => {
    const ids = deps.engines.connected()
    const lists = await Promise.all(ids.map((id) => (id === LOCAL_ENGINE ? listAgents(ctx(id)) : listAgents(ctx(id)).catch(() => []))))
    return lists.flat()
  }
  // Every agents.changed (after an engine's event, or an engine coming or going) makes the next caller read anew.
  const agentList = sharedRead(allAgents, deps.agentListShareMs ?? AGENT_LIST_SHARE_MS)
  deps.hub.subscribe((event) => {
    if (event === 'agents.changed') agentList.changed()
  })
  const net = deps.networkMode ? { networkMode: deps.networkMode } : {}
  const keeper = deps.keeperIntervalSeconds === undefined ? {} : { keeperIntervalSeconds: deps.keeperIntervalSeconds }

  const migration = (extra: Partial<MigrationDeps> = {}): MigrationDeps => ({
    ctx: ctx(),
    hostLogin: deps.hostLogin ?? (() => readHostLogin()),
    firstRun: !deps.settings.get().wizardDone,
    ...extra,
  })
  // A burst of Docker events asks for the credential state many times: read it at most twice.
  // An agent whose container just went keeps its last state for a moment, unread: its volumes
  // are being removed (by the window or the clawker CLI) and must not be found in use.
  let lastCredentials: CredentialState | undefined
  // Until a credentials.changed, only what changes without an event can differ: the files of a
  // running agent (a refresh, the keeper relinking) and the shared login. A timed read then leaves
  // every other agent's volume unread (1000 of them cost the engine seconds of work each time).
  let changedSinceRead = true
  deps.hub.subscribe((event) => {
    if (event === 'credentials.changed') changedSinceRead = true
  })
  const liveConfigVolumes = async (): Promise<Set<string> | undefined> => {
    const agents = await agentList.read().catch(() => undefined)
    const live = agents?.filter((a) => a.engine === LOCAL_ENGINE && processMayRun(a.state))
    return live && new Set(live.map((a) => containerVolumeName(a.name, 'config')))
  }
  const readCredentials = singleFlight(async () => {
    const last = lastCredentials
    const whole = changedSinceRead || !last
    changedSinceRead = false
    const live = whole ? undefined : await liveConfigVolumes()
    const unread = (volume: string) => deps.recentRemovals.has(volume) || (live !== undefined && !live.has(volume))
    const reuse = (volume: string) => (unread(volume) ? last?.agents.find((a) => a.volume === volume) : undefined)
    try {
      return (lastCredentials = await readCredentialState(ctx(), reuse))
    } catch (e) {
      changedSinceRead = true
      throw e
    }
  })
  /** A requested stop is marked per engine and container (the app's event handler reads the same key). */
  const stopName = (r: { project: string; agent: string; engine?: string }) => `${r.engine ?? LOCAL_ENGINE}/${containerName(ref(r), deps.prefix)}`
  const asked = <T>(r: { project: string; agent: string; engine?: string }, act: () => Promise<T>) => deps.requestedStops.around(stopName(r), act)
  const withStopMark = (a: AgentSummary): AgentSummary =>
    a.state === 'exited' && deps.requestedStops.has(`${a.engine}/${a.name}`) ? { ...a, stoppedByUser: true } : a
  /** An action on each agent of a selection, a few at a time; each agent's outcome in words. */
  /** Over every request at once: several selections acted on together do not multiply the engine's load. */
  const manySlot = limiter(MANY_CONCURRENCY)
  const each = async (requested: Array<{ project: string; agent: string; engine?: string | undefined }>, act: (r: { project: string; agent: string; engine?: string }) => Promise<unknown>): Promise<ManyResult> => {
    // A bad name refuses the whole request before anything is done (the window only sends names it listed);
    // an agent named twice is acted on once.
    const byContainer = new Map(requested.map((a) => [`${a.engine ?? LOCAL_ENGINE}/${containerName(ref(a), deps.prefix)}`, a]))
    const results = await Promise.all(
      [...byContainer.values()].map((a) =>
        manySlot(async () => {
          const who = { project: a.project, agent: a.agent, engine: a.engine ?? LOCAL_ENGINE }
          try {
            await act({ project: a.project, agent: a.agent, ...(a.engine ? { engine: a.engine } : {}) })
            return { ...who, ok: true }
          } catch (e) {
            return { ...who, ok: false, error: e instanceof Error ? e.message : String(e) }
          }
        }),
      ),
    )
    return { results }
  }
  /** Callers whose stats streams are released when they go (registered once each). */
  const statsCallers = new Set<string>()
  const wizardDone = () => deps.settings.update((s) => ({ ...s, wizardDone: true })).catch(() => deps.settings.get())

  const handlers: Handlers = {
    'engine.status': async () => deps.engines.local.status,
    'engines.list': async () => deps.engines.list(),
    'engines.add': async ({ name, host, context }) => {
      if (!host === !context) throw new ClawkerError('invalid-input', 'Give either an address (ssh://user@host, tcp://host:2376) or a docker context.', { field: 'host' })
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name) || name === LOCAL_ENGINE) {
        throw new ClawkerError('invalid-name', `Engine name "${name.slice(0, 64)}" is not allowed: use letters, digits, "_", "." and "-" (and not "local").`, { field: 'name' })
      }
      if (host && !/^(ssh|tcp|unix|npipe):\/\//.test(host)) {
        throw new ClawkerError('invalid-input', 'An engine address starts with ssh://, tcp://, unix:// or npipe://.', { field: 'host' })
      }
      await deps.addEngine({ name, ...(host ? { host } : {}), ...(context ? { context } : {}) })
      return deps.engines.list().find((e) => e.id === name)!
    },
    'engines.remove': async ({ id }) => (await deps.removeEngine(id), null),
    'engines.setLoginSync': async ({ id, syncLogin }) => {
      if (!deps.engines.has(id)) throw new ClawkerError('not-found', `There is no engine named ${id}.`, { field: 'engine' })
      await deps.settings.update((s) => ({ ...s, loginSyncOff: syncLogin ? s.loginSyncOff.filter((x) => x !== id) : [...new Set([...s.loginSyncOff, id])] }))
      deps.hub.emit('engines.changed', {})
      return null
    },
    'engines.contexts': async () => listContexts(systemDiscoveryEnv()).map(({ name, host, description }) => ({ name, host, description })),
    'agents.list': async () => (await agentList.read()).map(withStopMark),
    'agents.create': async (req, caller) => {
      if (deps.engines.isRemote(req.engine) && req.workspaceMode === 'bind') {
        throw new ClawkerError(
          'invalid-input',
          'A folder of this computer cannot be bind-mounted on a remote engine: choose snapshot (the folder is copied into the agent\'s workspace volume).',
          { field: 'workspaceMode' },
        )
      }
      const agent = await createAgent(ctx(req.engine), { ...req, ...net, ...keeper }, (step) => caller.emit('agents.createProgress', { step }))
      await deps.settings.rememberProject(agent.project, req.workspace).catch(() => {
        /* the agent exists; a settings file we cannot write only loses the recent-projects entry */
      })
      return agent
    },
    'agents.start': async (req) => (await startAgent(ctx(req.engine), ref(req)), null),
    'agents.stop': async (req) => (await asked(req, () => stopAgent(ctx(req.engine), ref(req), req.timeoutSeconds)), null),
    'agents.restart': async (req) => (await asked(req, () => restartAgent(ctx(req.engine), ref(req))), null),
    'agents.remove': async (req) => {
      await asked(req, () => removeAgent(ctx(req.engine), ref(req), { removeVolumes: req.removeVolumes }))
      // Volume removal raises no event we follow: the credentials panel hears it now, not at its next poll.
      deps.hub.emit('credentials.changed', {})
      return null
    },
    'agents.startMany': async ({ agents }) => each(agents, (r) => startAgent(ctx(r.engine), ref(r))),
    'agents.stopMany': async ({ agents }) => each(agents, (r) => asked(r, () => stopAgent(ctx(r.engine), ref(r)))),
    'agents.removeMany': async ({ agents, removeVolumes }) => {
      const done = await each(agents, (r) => asked(r, () => removeAgent(ctx(r.engine), ref(r), { removeVolumes })))
      deps.hub.emit('credentials.changed', {})
      return done
    },
    'agents.watchStats': async ({ agents }, caller) => {
      if (!statsCallers.has(caller.id)) {
        statsCallers.add(caller.id)
        caller.onClose(() => {
          statsCallers.delete(caller.id)
          deps.stats.release(caller.id)
        })
      }
      const targets = agents.map((a) => ({ project: a.project, agent: a.agent, engine: a.engine ?? LOCAL_ENGINE }))
      return { watching: deps.stats.watch(caller.id, (s) => caller.emit('agents.stats', s), targets) }
    },
    'projects.stopAll': async ({ project, engine }) => ({
      stopped: await stopProject(ctx(engine), project, undefined, (a, stop) => asked(a, stop)),
    }),
    'images.list': async () => listImages(ctx()),
    'images.build': async (req, caller) => {
      // Lowercase, as agents.create names the project (an image reference must be lowercase).
      const project = normaliseName(req.project)
      return buildProjectImage(ctx(), { ...req, project, ...net }, (line) => caller.emit('images.buildProgress', { project, line }))
    },
    'credentials.state': () => readCredentials(),
    'credentials.engines': () => deps.engineLogins(),
    'credentials.signOutAll': async () => {
      const result = await signOutEveryAgent(ctx())
      deps.hub.emit('credentials.changed', {})
      return result
    },
    'quickLaunch.menu': async () => {
      const engine = deps.engines.local.status
      const agents = engine.state === 'connected' ? await agentList.read().catch(() => []) : []
      return buildQuickLaunchMenu({ agents, recentProjects: deps.settings.get().recentProjects, engine })
    },
    'app.startup': async () => ({
      notices: deps.settings.warning ? [deps.settings.warning] : [],
      firstRun: !deps.settings.get().wizardDone,
      prefix: deps.prefix,
    }),
    'dialog.chooseFile': async ({ title }) => (deps.chooseFile ? deps.chooseFile(title ?? 'Choose a file') : null),
    'dialog.chooseFolder': async ({ title }) => (deps.chooseFolder ? deps.chooseFolder(title ?? 'Workspace folder') : null),
    'app.openExternal': async ({ url }) => {
      const safe = openableUrl(url)
      if (!safe) throw new ClawkerError('invalid-input', 'Only http and https links open, in your browser.', { field: 'url' })
      if (!deps.openExternal) throw new ClawkerError('invalid-input', 'The browser mode opens links itself, in a new tab.', { field: 'url' })
      await deps.openExternal(safe)
      return null
    },
    'wizard.scan': async () => scanLogins(migration()),
    'wizard.plan': async ({ loginId }) => planFor(await scanLogins(migration()), loginId),
    'wizard.apply': async ({ loginId }, caller) => {
      const report = await applyMigration(
        migration({
          onProgress: (step) => caller.emit('wizard.progress', { step }),
          ...(deps.wizardFailAfter === undefined ? {} : { failAfterVolumes: deps.wizardFailAfter }),
        }),
        loginId,
      )
      if (report.complete) await wizardDone()
      deps.hub.emit('credentials.changed', {})
      return report
    },
    'wizard.dismiss': async () => (await wizardDone(), null),
    ...terminalHandlers(deps.terminals),
  }
  // After an action on agents the next list is read anew: its events may still be on their way.
  for (const channel of AGENT_ACTIONS) {
    const act = handlers[channel] as (...args: never[]) => Promise<unknown>
    ;(handlers as Record<Channel, unknown>)[channel] = (...args: never[]) => act(...args).finally(() => agentList.changed())
  }
  return handlers
}
