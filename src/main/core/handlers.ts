/** The contract's handlers: each validates nothing itself (dispatch did) and calls one service. */
import { ClawkerError } from '../../shared/errors'
import type { EngineMonitor } from '../docker/monitor'
import type { EventHub } from './eventHub'
import type { Handlers } from './dispatch'
import type { TerminalSessions } from '../services/terminals'
import { terminalHandlers } from './terminalHandlers'
import type { SettingsStore } from '../services/settings'

export interface HandlerDeps {
  monitor: EngineMonitor
  hub: EventHub
  prefix: string
  appVersion: string
  terminals: TerminalSessions
  settings: SettingsStore
}

const pending = (what: string) => async (): Promise<never> => {
  throw new ClawkerError('internal', `${what} is not wired yet.`)
}

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'engine.status': async () => deps.monitor.status,
    'agents.list': pending('agents.list'),
    'agents.create': pending('agents.create'),
    'agents.start': pending('agents.start'),
    'agents.stop': pending('agents.stop'),
    'agents.restart': pending('agents.restart'),
    'agents.remove': pending('agents.remove'),
    'agents.randomName': pending('agents.randomName'),
    'projects.stopAll': pending('projects.stopAll'),
    'images.list': pending('images.list'),
    'images.build': pending('images.build'),
    'credentials.state': pending('credentials.state'),
    'quickLaunch.menu': pending('quickLaunch.menu'),
    ...terminalHandlers(deps.terminals),
  }
}
