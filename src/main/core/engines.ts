/**
 * Every engine the app talks to at once: the local one (DOCKER_HOST, the current
 * context, the known sockets) and the remote ones the user added (an address or a
 * docker context). Each has its own monitor, event stream and retry: a remote
 * engine that does not answer backs off and never blocks the others.
 */
import type Docker from 'dockerode'
import type { EngineInfo, EngineStatus } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { contextCandidate, listContexts, type DiscoveryEnv, type EngineCandidate } from '../docker/connection'
import { EngineMonitor, type DockerEvent } from '../docker/monitor'
import type { RemoteEngineConfig } from '../services/settings'

/** The id of the engine found on this computer. */
export const LOCAL_ENGINE = 'local'

/** A remote engine is tried again after 1 s, then 2, 4… up to this. */
const REMOTE_BACKOFF_MAX_MS = 30_000
/** How long a remote engine's first ping may take (an SSH login included). */
const REMOTE_PING_TIMEOUT_MS = 20_000

export interface EngineSetOptions {
  localCandidates: () => EngineCandidate[]
  discovery: DiscoveryEnv
  onStatus(id: string, status: EngineStatus): void
  onEvent(id: string, event: DockerEvent): void
  /** Engines whose login is not kept in step with the others. */
  syncOff: () => string[]
}

interface Entry {
  id: string
  name: string
  remote: boolean
  host: string | null
  monitor: EngineMonitor
}

/** Where a remote engine is: its address, or its docker context read afresh at every attempt. */
export function remoteCandidates(cfg: RemoteEngineConfig, discovery: DiscoveryEnv): EngineCandidate[] {
  if (cfg.context) {
    const ctx = listContexts(discovery).find((c) => c.name === cfg.context)
    return ctx ? [contextCandidate(ctx)] : []
  }
  return cfg.host ? [{ source: cfg.name, host: cfg.host }] : []
}

export class EngineSet {
  private readonly entries = new Map<string, Entry>()
  private started = false

  constructor(private readonly opts: EngineSetOptions) {
    this.entries.set(LOCAL_ENGINE, {
      id: LOCAL_ENGINE,
      name: 'this computer',
      remote: false,
      host: null,
      monitor: new EngineMonitor({
        candidates: opts.localCandidates,
        onStatus: (s) => opts.onStatus(LOCAL_ENGINE, s),
        onEvent: (e) => opts.onEvent(LOCAL_ENGINE, e),
      }),
    })
  }

  /** The local engine's monitor: its status is the window's engine bar. */
  get local(): EngineMonitor {
    return this.entries.get(LOCAL_ENGINE)!.monitor
  }

  has(id: string): boolean {
    return this.entries.has(id)
  }

  add(cfg: RemoteEngineConfig): void {
    if (this.entries.has(cfg.name)) throw new ClawkerError('already-exists', `There is already an engine named ${cfg.name}.`, { field: 'name' })
    const monitor = new EngineMonitor({
      candidates: () => remoteCandidates(cfg, this.opts.discovery),
      onStatus: (s) => this.opts.onStatus(cfg.name, s),
      onEvent: (e) => this.opts.onEvent(cfg.name, e),
      backoffMaxMs: REMOTE_BACKOFF_MAX_MS,
      // A remote engine's first answer includes a login (SSH) or a TLS handshake over a real network.
      pingTimeoutMs: REMOTE_PING_TIMEOUT_MS,
      hint: cfg.context
        ? `Check that the docker context ${cfg.context} reaches its engine (\`docker --context ${cfg.context} info\`); Clawker keeps trying.`
        : `Check the address, the network and your SSH or TLS set-up (\`docker -H ${cfg.host ?? ''} info\`); Clawker keeps trying.`,
    })
    this.entries.set(cfg.name, { id: cfg.name, name: cfg.name, remote: true, host: cfg.context ? `context ${cfg.context}` : (cfg.host ?? null), monitor })
    // Never awaited: a slow or unreachable remote engine must not hold anything up.
    if (this.started) void monitor.start()
  }

  async remove(id: string): Promise<void> {
    if (id === LOCAL_ENGINE) throw new ClawkerError('invalid-input', 'The engine of this computer cannot be removed.', { field: 'engine' })
    const entry = this.entries.get(id)
    if (!entry) return
    this.entries.delete(id)
    await entry.monitor.stop()
  }

  /** The engine's client, or a typed error naming it. */
  client(id: string = LOCAL_ENGINE): Docker {
    const entry = this.entries.get(id)
    if (!entry) throw new ClawkerError('not-found', `There is no engine named ${id}.`, { field: 'engine' })
    if (entry.remote && entry.monitor.status.state !== 'connected') {
      throw new ClawkerError('engine-unavailable', `The engine ${entry.name} is not connected; Clawker keeps trying.`, { field: 'engine' })
    }
    return entry.monitor.client()
  }

  isRemote(id: string = LOCAL_ENGINE): boolean {
    return this.entries.get(id)?.remote ?? false
  }

  /** Ids of the engines that answer now. */
  connected(): string[] {
    return [...this.entries.values()].filter((e) => e.monitor.status.state === 'connected').map((e) => e.id)
  }

  list(): EngineInfo[] {
    const off = new Set(this.opts.syncOff())
    return [...this.entries.values()].map((e) => ({
      id: e.id,
      name: e.name,
      remote: e.remote,
      host: e.host,
      syncLogin: !off.has(e.id),
      status: e.monitor.status,
    }))
  }

  async start(): Promise<void> {
    this.started = true
    for (const e of this.entries.values()) if (e.remote) void e.monitor.start()
    await this.local.start()
  }

  async stop(): Promise<void> {
    this.started = false
    await Promise.all([...this.entries.values()].map((e) => e.monitor.stop()))
  }
}
