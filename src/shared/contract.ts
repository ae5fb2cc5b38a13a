/**
 * The one IPC contract. Every channel is declared here once, with a zod schema
 * for its request (validated by the main process: never trust the renderer) and
 * its response; push events (main to renderer) likewise. Electron's ipcMain, the
 * preload and the browser-mode WebSocket all carry exactly these.
 */
import { z } from 'zod'
import { MANY_MAX, STATS_WATCH_MAX } from './limits'
import type { ErrorPayload } from './errors'
import { imageRefProblem } from './imageRef'
import { NAME_MAX_LENGTH, nameTooLong } from './nameRule'
import type { Channel, EventName } from './channels'

export { CHANNEL_NAMES, EVENT_NAMES, isChannel, isEventName, ipcChannel, ipcEvent } from './channels'
export type { Channel, EventName } from './channels'

/**
 * Project or agent name: the length here, with the same words as the main process,
 * which applies Docker's rule and says why a name is refused.
 */
const name = z.string().max(NAME_MAX_LENGTH, nameTooLong('project'))
const agentName = z.string().max(NAME_MAX_LENGTH, nameTooLong('agent'))
/** An image reference in Docker's grammar (blank allowed where the field is optional): checked before any request. */
const imageRef = z
  .string()
  .max(512)
  .superRefine((value, ctx) => {
    const problem = value.trim() === '' ? undefined : imageRefProblem(value.trim())
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
/** Which engine: an engine's id (engines.list); the local engine when left out. */
const engineId = z.string().min(1).max(64).optional()
const agentRef = { project: name, agent: agentName.min(1, 'Agent name is empty.'), engine: engineId }
const AgentRef = z.strictObject(agentRef)
/** An agent's identity on an engine; project is '' for an agent without a project. */
export type AgentRef = { project: string; agent: string }
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

/** One engine the app talks to: the local one ("local") or a remote one the user added. */
export const EngineInfo = z.strictObject({
  id: z.string(),
  name: z.string(),
  remote: z.boolean(),
  /** The address or context of a remote engine; null for the local one (its status says where it is). */
  host: z.string().nullable(),
  /** Its shared login is kept in step with the other engines'. */
  syncLogin: z.boolean(),
  status: EngineStatus,
})
export type EngineInfo = z.infer<typeof EngineInfo>

export const AgentState = z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'])
export type AgentState = z.infer<typeof AgentState>

export const AgentSummary = z.strictObject({
  id: z.string(),
  /** The engine it runs on (EngineInfo.id). */
  engine: z.string(),
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
  /** It exited because the user stopped it in this app: shown as "stopped", never as a crash. */
  stoppedByUser: z.boolean().optional(),
  /** How /workspace is mounted: the folder itself (bind) or a copy in the agent's volume (snapshot). */
  workspaceMode: z.enum(['bind', 'snapshot']).optional(),
})
export type AgentSummary = z.infer<typeof AgentSummary>

export const WorkspaceMode = z.enum(['bind', 'snapshot'])

export const CreateAgentRequest = z.strictObject({
  engine: engineId,
  project: name,
  /** Blank gives a random Docker-style name. */
  agent: agentName.optional(),
  workspace: z.string().min(1, 'Choose a workspace folder.').max(4096),
  workspaceMode: WorkspaceMode,
  /** An existing image; the project image when omitted. */
  image: imageRef.optional(),
  start: z.boolean().optional(),
  /** The command the agent runs; `claude` when omitted (the entrypoint prepends it to options). */
  command: z.array(z.string().max(4096)).max(64).optional(),
})
export type CreateAgentRequest = z.infer<typeof CreateAgentRequest>

/** The steps of Create, pushed to the form that asked as they begin. */
export const CreateProgress = z.strictObject({ step: z.enum(['check', 'volumes', 'global-volume', 'container', 'start']) })
export type CreateProgress = z.infer<typeof CreateProgress>

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
  baseImage: imageRef.refine((v) => v.trim() !== '', 'Give a base image, like debian:bookworm-slim.'),
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
  /** Claude Code's own login in it: usable, blank (blanked), none (signed out), invalid (not JSON), too-large (over 1 MiB: not read). */
  login: z.enum(['usable', 'blank', 'none', 'invalid', 'too-large']),
})

/** signed-out: a logout inside that agent stuck (the keeper's marker link); too-large: its own file is over 1 MiB, left alone. */
export type CredentialFileInfo = z.infer<typeof CredentialFileInfo>

export const LinkState = z.enum(['linked', 'waiting-to-migrate', 'none', 'dangling', 'diverged', 'other-link', 'signed-out', 'too-large'])
export type LinkState = z.infer<typeof LinkState>

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

/** attach: the agent's own TTY (started first if stopped); shell: bash or sh as `claude`; logs: its output. */
export const TerminalKind = z.enum(['attach', 'shell', 'logs'])
export type TerminalKind = z.infer<typeof TerminalKind>

const TerminalSize = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) }
const sessionId = z.uuid()

export const QuickLaunchMenu = z.strictObject({
  tooltip: z.string(),
  running: z.number().int(),
  projects: z.array(
    z.strictObject({
      /** The engine its agents run on (EngineInfo.id): groups are by engine, then project. */
      engine: z.string(),
      project: z.string(),
      label: z.string(),
      newAgentLabel: z.string(),
      agents: z.array(
        z.strictObject({
          engine: z.string(),
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
  /** What is at the shared credentials path: only missing or readable may be backed up and replaced. */
  globalFile: z.enum(['missing', 'readable', 'too-large', 'not-a-file']),
  host: z.strictObject({ where: z.string(), found: z.boolean(), loginId: z.string().nullable(), error: z.string().nullable() }),
  logins: z.array(WizardLogin),
  defaultLoginId: z.string().nullable(),
  volumes: z.array(
    z.strictObject({
      volume: z.string(),
      project: z.string(),
      agent: z.string(),
      /** What is at ~/.claude/.credentials.json in it. */
      found: z.enum(['file', 'link', 'other-link', 'missing', 'invalid', 'signed-out', 'too-large']),
      loginId: z.string().nullable(),
      running: z.boolean(),
    }),
  ),
})
export type WizardScan = z.infer<typeof WizardScan>

export const WizardPlan = z.strictObject({
  loginId: z.string(),
  /** left: the shared file could not be read in full (or is not a file); nothing is changed anywhere. */
  global: z.enum(['write', 'unchanged', 'left']),
  globalReason: z.string(),
  volumes: z.array(
    z.strictObject({ volume: z.string(), project: z.string(), agent: z.string(), action: WizardVolumeAction, reason: z.string(), running: z.boolean() }),
  ),
})
export type WizardPlan = z.infer<typeof WizardPlan>

export const WizardReport = z.strictObject({
  changed: z.boolean(),
  complete: z.boolean(),
  message: z.string(),
  global: z.enum(['written', 'unchanged', 'left', 'not-done']),
  /** The name the replaced shared login was kept under in the global volume, when there was one. */
  globalBackup: z.string().nullable(),
  volumes: z.array(
    z.strictObject({ volume: z.string(), project: z.string(), agent: z.string(), done: z.string(), restartNeeded: z.boolean() }),
  ),
})
export type WizardReport = z.infer<typeof WizardReport>

export { MANY_MAX, STATS_WATCH_MAX }
const AgentRefs = z.array(AgentRef).min(1, 'Select at least one agent.').max(MANY_MAX, `At most ${MANY_MAX} agents at once.`)
/** Each agent's outcome of an action on a selection: one failure does not stop the others. */
export const ManyResult = z.strictObject({
  results: z.array(z.strictObject({ project: z.string(), agent: z.string(), engine: z.string(), ok: z.boolean(), error: z.string().optional() })),
})
export type ManyResult = z.infer<typeof ManyResult>

/** One sample of a running agent's use, as `docker stats` shows it. */
export const AgentStats = z.strictObject({
  engine: z.string(),
  id: z.string(),
  project: z.string(),
  agent: z.string(),
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  memoryLimitBytes: z.number(),
})
export type AgentStats = z.infer<typeof AgentStats>

/** Every request/response channel. A channel not listed here does not exist. */
export const channels = {
  'engine.status': { request: empty, response: EngineStatus },
  'engines.list': { request: empty, response: z.array(EngineInfo) },
  /** Adds a remote engine by address (ssh://user@host, tcp://host:2376) or by docker context name. */
  'engines.add': {
    request: z.strictObject({
      name: z.string().min(1, 'Give the engine a name.').max(64),
      host: z.string().min(1).max(1024).optional(),
      context: z.string().min(1).max(256).optional(),
    }),
    response: EngineInfo,
  },
  'engines.remove': { request: z.strictObject({ id: z.string().max(64) }), response: z.null() },
  'engines.setLoginSync': { request: z.strictObject({ id: z.string().max(64), syncLogin: z.boolean() }), response: z.null() },
  /** The docker CLI's contexts, as `docker context ls` lists them. */
  'engines.contexts': { request: empty, response: z.array(z.strictObject({ name: z.string(), host: z.string(), description: z.string() })) },
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
  /** Start, Stop or Remove for a selection: one request, each agent's result (a stop asked for is not a crash). */
  'agents.startMany': { request: z.strictObject({ agents: AgentRefs }), response: ManyResult },
  'agents.stopMany': { request: z.strictObject({ agents: AgentRefs }), response: ManyResult },
  'agents.removeMany': { request: z.strictObject({ agents: AgentRefs, removeVolumes: z.boolean() }), response: ManyResult },
  /** The agents whose CPU and memory this window shows (its rows in view): replaces the previous set; [] stops all. */
  'agents.watchStats': {
    request: z.strictObject({ agents: z.array(AgentRef).max(STATS_WATCH_MAX, `At most ${STATS_WATCH_MAX} agents are watched at once.`) }),
    response: z.strictObject({ watching: z.number().int() }),
  },
  'projects.stopAll': { request: z.strictObject({ project: name, engine: engineId }), response: z.strictObject({ stopped: z.number() }) },
  'images.list': { request: empty, response: z.array(ImageSummary) },
  'images.build': { request: BuildImageRequest, response: z.strictObject({ image: z.string() }) },
  'credentials.state': { request: empty, response: CredentialState },
  /** Each connected engine's shared login (metadata only), for the one-login-across-engines view. */
  'credentials.engines': {
    request: empty,
    response: z.array(z.strictObject({ engine: z.string(), name: z.string(), syncLogin: z.boolean(), login: CredentialFileInfo.nullable(), error: z.string().nullable() })),
  },
  /** Moves the shared login to a backup in the global volume; every agent then has no login. Asks first in the window. */
  'credentials.signOutAll': { request: z.strictObject({ confirm: z.literal(true) }), response: z.strictObject({ backup: z.string(), volume: z.string() }) },
  /** The tray's menu model; the browser mode shows the same as a quick-launch menu in the header. */
  'quickLaunch.menu': { request: empty, response: QuickLaunchMenu },
  /**
   * What the window needs once at load: notices since start-up (a settings file set aside,
   * say) and whether this is the first run (the wizard then opens by itself).
   */
  'app.startup': {
    request: empty,
    /** prefix: the name prefix of every resource (`clawker`), so the window shows names by the shared rule. */
    response: z.strictObject({ notices: z.array(z.string()), firstRun: z.boolean(), prefix: z.string() }),
  },
  /** Opens an http(s) link in the user's browser (Electron; the browser mode opens a new tab itself). */
  'app.openExternal': { request: z.strictObject({ url: z.string().min(1).max(4096) }), response: z.null() },
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
      kind: TerminalKind,
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
  /** An engine was added, removed, connected or lost: refetch engines.list. */
  'engines.changed': z.strictObject({}),
  /** Something about agents changed (a Docker container event): refetch the list. */
  'agents.changed': z.strictObject({ id: z.string().optional(), action: z.string() }),
  /** A volume or the keeper changed credential files: refetch the credential state. */
  'credentials.changed': z.strictObject({}),
  'agents.createProgress': CreateProgress,
  'images.buildProgress': z.strictObject({ project: z.string(), line: z.string() }),
  /** Output of a terminal session, to the renderer that opened it only. */
  'terminal.output': z.strictObject({ sessionId, data: z.string(), stream: z.enum(['tty', 'stdout', 'stderr']) }),
  'terminal.exit': z.strictObject({ sessionId, code: z.number().int().nullable(), message: z.string().optional() }),
  /** An agent's main process ended with a non-zero code: the shell notifies the user. */
  'agents.exited': z.strictObject({ project: z.string(), agent: z.string(), exitCode: z.number().int() }),
  /** A watched agent's CPU and memory (agents.watchStats), at most about once a second each, to that window only. */
  'agents.stats': AgentStats,
  /** The tray asks the window to open an agent's terminal (starting it when stopped). */
  'ui.openAgent': z.strictObject({ project: z.string(), agent: z.string(), engine: z.string().optional() }),
  'wizard.progress': z.strictObject({ step: z.string() }),
  /** A click on an exit notification asks the window to show that agent's logs. */
  'ui.openLogs': z.strictObject({ project: z.string(), agent: z.string() }),
  /** The app menu or the tray asks the window to open the New agent form. */
  'ui.newAgent': z.strictObject({ project: z.string().optional() }),
} as const satisfies Record<EventName, z.ZodType>

export type EventOf<E extends EventName> = z.infer<(typeof events)[E]>

/** What every invoke answers: the response, or a typed error the UI can show. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload }


/** What `window.clawker` is, in Electron (preload) and in the browser mode (WebSocket) alike. */
export interface ClawkerBridge {
  readonly transport: 'electron' | 'browser'
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void
  /** The browser mode's connection trouble, in words (null once it is fine again); Electron's IPC has none. */
  onTransportProblem?(listener: (problem: string | null) => void): () => void
}
