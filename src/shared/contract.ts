/**
 * The one IPC contract. Every channel is declared here once, with a zod schema
 * for its request (validated by the main process: never trust the renderer) and
 * its response; push events (main to renderer) likewise. Electron's ipcMain, the
 * preload and the browser-mode WebSocket all carry exactly these.
 */
import { z } from 'zod'
import { ERROR_CODES } from './errors'
import type { Channel, EventName } from './channels'

export { CHANNEL_NAMES, EVENT_NAMES, isChannel, isEventName, ipcChannel, ipcEvent } from './channels'
export type { Channel, EventName } from './channels'

/** Project or agent name: the main process applies Docker's rule and says why a name is refused. */
const name = z.string().max(256)
const agentRef = { project: name, agent: z.string().min(1, 'Agent name is empty.').max(256) }
const AgentRef = z.strictObject(agentRef)
const empty = z.strictObject({})

export const EngineStatus = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('connecting') }),
  z.strictObject({
    state: z.literal('connected'),
    source: z.string(),
    host: z.string(),
    version: z.string(),
    apiVersion: z.string(),
    os: z.string(),
    arch: z.string(),
  }),
  z.strictObject({
    state: z.literal('unavailable'),
    tried: z.array(z.strictObject({ source: z.string(), host: z.string(), error: z.string() })),
    hint: z.string(),
  }),
])
export type EngineStatus = z.infer<typeof EngineStatus>

export const AgentState = z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'])

export const AgentSummary = z.strictObject({
  id: z.string(),
  name: z.string(),
  project: z.string(),
  agent: z.string(),
  state: AgentState,
  exitCode: z.number().int().nullable(),
  status: z.string(),
  image: z.string(),
  workdir: z.string(),
  created: z.string(),
  health: z.enum(['starting', 'healthy', 'unhealthy']).nullable(),
})
export type AgentSummary = z.infer<typeof AgentSummary>

export const WorkspaceMode = z.enum(['bind', 'snapshot'])

export const CreateAgentRequest = z.strictObject({
  project: name,
  /** Blank gives a random Docker-style name. */
  agent: z.string().max(256).optional(),
  workspace: z.string().min(1, 'Choose a workspace folder.').max(4096),
  workspaceMode: WorkspaceMode,
  /** An existing image; the project image when omitted. */
  image: z.string().max(512).optional(),
  start: z.boolean().optional(),
  /** The command the agent runs; `claude` when omitted (the entrypoint prepends it to options). */
  command: z.array(z.string().max(4096)).max(64).optional(),
})
export type CreateAgentRequest = z.infer<typeof CreateAgentRequest>

export const ImageSummary = z.strictObject({
  id: z.string(),
  tags: z.array(z.string()),
  managed: z.boolean(),
  project: z.string().nullable(),
  created: z.string(),
  size: z.number(),
})
export type ImageSummary = z.infer<typeof ImageSummary>

export const BuildImageRequest = z.strictObject({
  project: name,
  baseImage: z.string().min(1).max(512),
  installClaudeCode: z.boolean(),
  extraPackages: z.array(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9+._:=-]*$/, 'Not a package name.').max(128)).max(100),
  /** The network the build's steps run on ("host", "bridge", a network name); the engine's default when absent. */
  networkMode: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'Not a network name.')
    .max(128)
    .optional(),
  /** A CA certificate file on the machine running the app; main reads it, its content never comes back. */
  caCertPath: z
    .string()
    .max(4096)
    .refine((p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p), 'Give the full path of the CA certificate file.')
    .optional(),
})

export const CredentialFileInfo = z.strictObject({
  kind: z.literal('file'),
  mode: z.string(),
  uid: z.number(),
  gid: z.number(),
  modeOk: z.boolean(),
  expiresAt: z.string().nullable(),
  subscriptionType: z.string().nullable(),
  scopes: z.array(z.string()),
  valid: z.boolean(),
})

export const LinkState = z.enum(['linked', 'waiting-to-migrate', 'none', 'dangling', 'diverged', 'other-link'])

export const CredentialState = z.strictObject({
  globalVolume: z.strictObject({ exists: z.boolean(), labelled: z.boolean(), name: z.string() }),
  global: CredentialFileInfo.nullable(),
  agents: z.array(
    z.strictObject({
      volume: z.string(),
      project: z.string(),
      agent: z.string(),
      linkState: LinkState,
      local: CredentialFileInfo.optional(),
    }),
  ),
})
export type CredentialState = z.infer<typeof CredentialState>

const TerminalSize = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) }
const sessionId = z.uuid()

export const QuickLaunchMenu = z.strictObject({
  tooltip: z.string(),
  running: z.number().int(),
  projects: z.array(
    z.strictObject({
      project: z.string(),
      label: z.string(),
      newAgentLabel: z.string(),
      agents: z.array(
        z.strictObject({
          project: z.string(),
          agent: z.string(),
          state: AgentState,
          label: z.string(),
          /** start-and-open: a stopped agent is started and its terminal opened; focus: it runs, show its terminal. */
          action: z.enum(['start-and-open', 'focus']),
        }),
      ),
    }),
  ),
})
export type QuickLaunchMenu = z.infer<typeof QuickLaunchMenu>

export const WizardLogin = z.strictObject({
  /** An opaque id (a short hash of the file); never the token. */
  id: z.string(),
  sources: z.array(z.string()),
  expiresAt: z.string().nullable(),
  subscriptionType: z.string().nullable(),
  scopes: z.array(z.string()),
  valid: z.boolean(),
})

export const WizardVolumeAction = z.enum(['nothing', 'link', 'backup-and-link', 'skip'])

export const WizardScan = z.strictObject({
  firstRun: z.boolean(),
  globalVolume: z.strictObject({ exists: z.boolean(), labelled: z.boolean(), name: z.string() }),
  globalLoginId: z.string().nullable(),
  host: z.strictObject({ where: z.string(), found: z.boolean(), loginId: z.string().nullable(), error: z.string().nullable() }),
  logins: z.array(WizardLogin),
  defaultLoginId: z.string().nullable(),
  volumes: z.array(
    z.strictObject({
      volume: z.string(),
      project: z.string(),
      agent: z.string(),
      /** What is at ~/.claude/.credentials.json in it. */
      found: z.enum(['file', 'link', 'other-link', 'missing', 'invalid']),
      loginId: z.string().nullable(),
      running: z.boolean(),
    }),
  ),
})
export type WizardScan = z.infer<typeof WizardScan>

export const WizardPlan = z.strictObject({
  loginId: z.string(),
  global: z.enum(['write', 'unchanged']),
  volumes: z.array(
    z.strictObject({ volume: z.string(), project: z.string(), agent: z.string(), action: WizardVolumeAction, reason: z.string(), running: z.boolean() }),
  ),
})
export type WizardPlan = z.infer<typeof WizardPlan>

export const WizardReport = z.strictObject({
  changed: z.boolean(),
  complete: z.boolean(),
  message: z.string(),
  global: z.enum(['written', 'unchanged', 'not-done']),
  volumes: z.array(
    z.strictObject({ volume: z.string(), project: z.string(), agent: z.string(), done: z.string(), restartNeeded: z.boolean() }),
  ),
})
export type WizardReport = z.infer<typeof WizardReport>

/** Every request/response channel. A channel not listed here does not exist. */
export const channels = {
  'engine.status': { request: empty, response: EngineStatus },
  'agents.list': { request: empty, response: z.array(AgentSummary) },
  'agents.create': { request: CreateAgentRequest, response: AgentSummary },
  'agents.start': { request: AgentRef, response: z.null() },
  'agents.stop': {
    request: z.strictObject({ ...agentRef, timeoutSeconds: z.number().int().min(0).max(600).optional() }),
    response: z.null(),
  },
  'agents.restart': { request: AgentRef, response: z.null() },
  'agents.remove': {
    request: z.strictObject({ ...agentRef, removeVolumes: z.boolean() }),
    response: z.null(),
  },
  'agents.randomName': { request: empty, response: z.string() },
  'projects.stopAll': { request: z.strictObject({ project: name }), response: z.strictObject({ stopped: z.number() }) },
  'images.list': { request: empty, response: z.array(ImageSummary) },
  'images.build': { request: BuildImageRequest, response: z.strictObject({ image: z.string() }) },
  'credentials.state': { request: empty, response: CredentialState },
  /** The tray's menu model; the browser mode shows the same as a quick-launch menu in the header. */
  'quickLaunch.menu': { request: empty, response: QuickLaunchMenu },
  /**
   * What the window needs once at load: notices since start-up (a settings file set aside,
   * say) and whether this is the first run (the wizard then opens by itself).
   */
  'app.startup': { request: empty, response: z.strictObject({ notices: z.array(z.string()), firstRun: z.boolean() }) },
  /** The native folder picker (Electron only; the browser mode has a text field and answers null). */
  /** The native file picker (Electron only; null in the browser mode): the path, never the content. */
  'dialog.chooseFile': { request: z.strictObject({ title: z.string().max(200).optional() }), response: z.string().nullable() },
  'dialog.chooseFolder': { request: z.strictObject({ title: z.string().max(200).optional() }), response: z.string().nullable() },
  /** First-run wizard: what there is, what would be done with a chosen login, doing it. */
  'wizard.scan': { request: empty, response: WizardScan },
  'wizard.plan': { request: z.strictObject({ loginId: z.string().max(64) }), response: WizardPlan },
  'wizard.apply': { request: z.strictObject({ loginId: z.string().max(64), confirm: z.literal(true) }), response: WizardReport },
  'wizard.dismiss': { request: empty, response: z.null() },
  /** attach: the agent's own TTY (started first if stopped); shell: bash or sh as `claude`; logs: its output. */
  'terminal.open': {
    request: z.strictObject({
      /** Chosen by the renderer, so it listens for the session's output before any arrives. */
      sessionId,
      kind: z.enum(['attach', 'shell', 'logs']),
      ...agentRef,
      ...TerminalSize,
      tail: z.number().int().min(0).max(100_000).optional(),
      follow: z.boolean().optional(),
    }),
    response: z.strictObject({ sessionId }),
  },
  'terminal.input': { request: z.strictObject({ sessionId, data: z.string().max(64 * 1024) }), response: z.null() },
  'terminal.resize': { request: z.strictObject({ sessionId, ...TerminalSize }), response: z.null() },
  'terminal.close': { request: z.strictObject({ sessionId }), response: z.null() },
} as const satisfies Record<Channel, { request: z.ZodType; response: z.ZodType }>

export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>
export type ResponseOf<C extends Channel> = z.infer<(typeof channels)[C]['response']>

/** Pushed from main to renderer. */
export const events = {
  'engine.status': EngineStatus,
  /** Something about agents changed (a Docker container event): refetch the list. */
  'agents.changed': z.strictObject({ id: z.string().optional(), action: z.string() }),
  /** A volume or the keeper changed credential files: refetch the credential state. */
  'credentials.changed': z.strictObject({}),
  'images.buildProgress': z.strictObject({ project: z.string(), line: z.string() }),
  /** Output of a terminal session, to the renderer that opened it only. */
  'terminal.output': z.strictObject({ sessionId, data: z.string(), stream: z.enum(['tty', 'stdout', 'stderr']) }),
  'terminal.exit': z.strictObject({ sessionId, code: z.number().int().nullable(), message: z.string().optional() }),
  /** An agent's main process ended with a non-zero code: the shell notifies the user. */
  'agents.exited': z.strictObject({ project: z.string(), agent: z.string(), exitCode: z.number().int() }),
  /** The tray asks the window to open an agent's terminal (starting it when stopped). */
  'ui.openAgent': z.strictObject({ project: z.string(), agent: z.string() }),
  'wizard.progress': z.strictObject({ step: z.string() }),
  /** A click on an exit notification asks the window to show that agent's logs. */
  'ui.openLogs': z.strictObject({ project: z.string(), agent: z.string() }),
  /** The app menu or the tray asks the window to open the New agent form. */
  'ui.newAgent': z.strictObject({ project: z.string().optional() }),
} as const satisfies Record<EventName, z.ZodType>

export type EventOf<E extends EventName> = z.infer<(typeof events)[E]>

export const ErrorPayload = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
})

/** What every invoke answers: the response, or a typed error the UI can show. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof ErrorPayload> }


/** What `window.clawker` is, in Electron (preload) and in the browser mode (WebSocket) alike. */
export interface ClawkerBridge {
  readonly transport: 'electron' | 'browser'
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void
}
