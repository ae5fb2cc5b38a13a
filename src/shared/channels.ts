/**
 * The names of the contract's channels and events, without zod, so the sandboxed
 * preload can use them. contract.ts gives each its schemas; the compiler holds
 * the two to the same set.
 */
export const CHANNEL_NAMES = [
  'engine.status',
  'engines.list',
  'engines.add',
  'engines.remove',
  'engines.setLoginSync',
  'engines.contexts',
  'agents.list',
  'agents.create',
  'agents.start',
  'agents.stop',
  'agents.restart',
  'agents.remove',
  'agents.startMany',
  'agents.stopMany',
  'agents.removeMany',
  'agents.watchStats',
  'projects.stopAll',
  'images.list',
  'images.build',
  'credentials.state',
  'credentials.signOutAll',
  'credentials.engines',
  'quickLaunch.menu',
  'dialog.chooseFolder',
  'app.openExternal',
  'dialog.chooseFile',
  'app.startup',
  'wizard.scan',
  'wizard.plan',
  'wizard.apply',
  'wizard.dismiss',
  'terminal.open',
  'terminal.input',
  'terminal.resize',
  'terminal.close',
] as const

export const EVENT_NAMES = [
  'engine.status',
  'engines.changed',
  'agents.changed',
  'credentials.changed',
  'agents.createProgress',
  'images.buildProgress',
  'terminal.output',
  'terminal.exit',
  'agents.exited',
  'agents.stats',
  'wizard.progress',
  'ui.openAgent',
  'ui.openLogs',
  'ui.newAgent',
] as const

export type Channel = (typeof CHANNEL_NAMES)[number]
export type EventName = (typeof EVENT_NAMES)[number]

const channelSet: ReadonlySet<string> = new Set(CHANNEL_NAMES)
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES)

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && channelSet.has(value)
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && eventSet.has(value)
}

/** Channel names on Electron's ipcMain/ipcRenderer are derived here, nowhere else. */
export const ipcChannel = (c: Channel): string => `clawker:${c}`
export const ipcEvent = (e: EventName): string => `clawker:event:${e}`
