/** The contract's handlers: dispatch has validated the request; each calls one service. */
import type { EngineMonitor } from '../docker/monitor'
import type { EventHub } from './eventHub'
import type { Handlers } from './dispatch'
import type { TerminalSessions } from '../services/terminals'
import { terminalHandlers } from './terminalHandlers'
import type { SettingsStore } from '../services/settings'
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
import { randomAgentName } from '../docker/randomName'
import { buildQuickLaunchMenu } from './quickLaunchMenu'
import { singleFlight } from './singleFlight'
import { readCredentialState } from '../services/credentialState'
import { applyMigration, planFor, scanLogins, type MigrationDeps } from '../services/migration'
import { readHostLogin, type HostLogin } from '../services/hostLogin'

export interface HandlerDeps {
  monitor: EngineMonitor
  hub: EventHub
  prefix: string
  appVersion: string
  terminals: TerminalSessions
  settings: SettingsStore
  /** Docker network mode for new agents and builds; unset uses Docker's default. */
  networkMode?: string
  /** The keeper interval given to new agents (CLAWKER_KEEPER_INTERVAL); the entrypoint's default when unset. */
  keeperIntervalSeconds?: number
  /** The shell's native folder picker; none in the browser mode. */
  chooseFolder?: (title: string) => Promise<string | null>
  /** The shell's native file picker; none in the browser mode. */
  chooseFile?: (title: string) => Promise<string | null>
  /** The host's own login; tests give a temporary HOME. */
  hostLogin?: () => Promise<HostLogin>
  /** Test hook for the wizard's crash-safety test (CLAWKER_TEST_WIZARD_FAIL_AFTER). */
  wizardFailAfter?: number
}

export function createHandlers(deps: HandlerDeps): Handlers {
  /** A context on the engine of the moment (it may have changed since the last call). */
  const ctx = (): ServiceContext => serviceContext(deps.monitor.client(), { prefix: deps.prefix, appVersion: deps.appVersion })
  const ref = (r: { project: string; agent: string }) => ({ project: r.project, agent: r.agent })
  const net = deps.networkMode ? { networkMode: deps.networkMode } : {}
  const keeper = deps.keeperIntervalSeconds === undefined ? {} : { keeperIntervalSeconds: deps.keeperIntervalSeconds }

  const migration = (extra: Partial<MigrationDeps> = {}): MigrationDeps => ({
    ctx: ctx(),
    hostLogin: deps.hostLogin ?? (() => readHostLogin()),
    firstRun: !deps.settings.get().wizardDone,
    ...extra,
  })
  // A burst of Docker events asks for the credential state many times: read it at most twice.
  const readCredentials = singleFlight(() => readCredentialState(ctx()))
  const wizardDone = () => deps.settings.update((s) => ({ ...s, wizardDone: true })).catch(() => deps.settings.get())

  return {
    'engine.status': async () => deps.monitor.status,
    'agents.list': async () => listAgents(ctx()),
    'agents.create': async (req) => {
      const agent = await createAgent(ctx(), { ...req, ...net, ...keeper })
      await deps.settings.rememberProject(agent.project, req.workspace).catch(() => {
        /* the agent exists; a settings file we cannot write only loses the recent-projects entry */
      })
      return agent
    },
    'agents.start': async (req) => (await startAgent(ctx(), ref(req)), null),
    'agents.stop': async (req) => (await stopAgent(ctx(), ref(req), req.timeoutSeconds), null),
    'agents.restart': async (req) => (await restartAgent(ctx(), ref(req)), null),
    'agents.remove': async (req) => (await removeAgent(ctx(), ref(req), { removeVolumes: req.removeVolumes }), null),
    'agents.randomName': async () => randomAgentName(),
    'projects.stopAll': async ({ project }) => ({ stopped: await stopProject(ctx(), project) }),
    'images.list': async () => listImages(ctx()),
    'images.build': async (req, caller) =>
      buildProjectImage(ctx(), { ...req, ...net }, (line) => caller.emit('images.buildProgress', { project: req.project, line })),
    'credentials.state': () => readCredentials(),
    'quickLaunch.menu': async () => {
      const engine = deps.monitor.status
      const agents = engine.state === 'connected' ? await listAgents(ctx()).catch(() => []) : []
      return buildQuickLaunchMenu({ agents, recentProjects: deps.settings.get().recentProjects, engine })
    },
    'app.startup': async () => ({
      notices: deps.settings.warning ? [deps.settings.warning] : [],
      firstRun: !deps.settings.get().wizardDone,
    }),
    'dialog.chooseFile': async ({ title }) => (deps.chooseFile ? deps.chooseFile(title ?? 'Choose a file') : null),
    'dialog.chooseFolder': async ({ title }) => (deps.chooseFolder ? deps.chooseFolder(title ?? 'Workspace folder') : null),
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
}
