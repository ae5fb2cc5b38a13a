/**
 * Keeps one connection to the Docker engine: finds it, pings it, follows its
 * event stream, and notices at once when the stream closes (the engine went
 * away). While no engine answers it tries again every `retryMs`: that retry is
 * the only timer; everything else is driven by Docker's events.
 */
import type Docker from 'dockerode'
import type { EngineStatus } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { dockerFromHost, type EngineCandidate } from './connection'
import { connectionProblem } from './errors'

/** One event from Docker's /events stream (the fields we use). */
export interface DockerEvent {
  Type: string
  Action: string
  Actor: { ID: string; Attributes: Record<string, string> }
  time: number
}

/**
 * The events asked of the engine: what changes an agent's row (created, started, ended, paused,
 * renamed, its health) and a volume removed (by the app or the clawker CLI: the Credentials panel
 * lists agents by their volumes). The engine drops the rest before it is sent: above all the
 * mount and unmount of every volume a credential helper holds, on each of its archive calls
 * (4000 events, 1.2 MB of JSON for one read of 200 volumes), but also execs, attaches and resizes.
 * Type and event filters are both met (AND); "health_status" makes the engine match actions by
 * their start, so "health_status: healthy" passes.
 */
export const WATCHED_EVENTS: { type: Array<'container' | 'volume'>; event: string[] } = {
  type: ['container', 'volume'],
  event: ['create', 'start', 'restart', 'die', 'kill', 'oom', 'stop', 'pause', 'unpause', 'destroy', 'rename', 'health_status'],
}

export interface EngineMonitorOptions {
  candidates: () => EngineCandidate[]
  connect?: (candidate: EngineCandidate, timeoutMs?: number) => Docker
  onStatus: (status: EngineStatus) => void
  onEvent: (event: DockerEvent) => void
  pingTimeoutMs?: number
  retryMs?: number
  /** What to do when none answers; the local engine's advice by default. */
  hint?: string
  /** Remote engines back off: each failed attempt doubles the wait, up to this. Unset: always retryMs. */
  backoffMaxMs?: number
}

export function unavailableHint(platform: NodeJS.Platform): string {
  const start =
    platform === 'darwin'
      ? 'Start Docker Desktop, OrbStack or Colima (`colima start`)'
      : platform === 'win32'
        ? 'Start Docker Desktop'
        : 'Start the Docker service (`sudo systemctl start docker`) and make sure your user may use its socket (the `docker` group), or start rootless Docker or Podman (`systemctl --user start podman.socket`)'
  return `${start}, or set DOCKER_HOST to your engine's address (for example unix:///var/run/docker.sock), then Clawker connects by itself.`
}

export class EngineMonitor {
  private current: EngineStatus = { state: 'connecting' }
  private docker: Docker | undefined
  private events: NodeJS.ReadableStream | undefined
  private retryTimer: NodeJS.Timeout | undefined
  private failures = 0
  private stopped = false
  private readonly connect: (candidate: EngineCandidate, timeoutMs?: number) => Docker

  constructor(private readonly opts: EngineMonitorOptions) {
    this.connect = opts.connect ?? ((c, timeoutMs) => dockerFromHost(c.host, { ...(timeoutMs === undefined ? {} : { timeoutMs }), tls: c.tls }))
  }

  get status(): EngineStatus {
    return this.current
  }

  /** The engine's client, or a typed error the UI shows when none answers. */
  client(): Docker {
    if (!this.docker) {
      throw new ClawkerError(
        'engine-unavailable',
        this.current.state === 'unavailable'
          ? `No Docker engine answers. ${this.current.hint}`
          : 'Still looking for the Docker engine.',
      )
    }
    return this.docker
  }

  start(): Promise<void> {
    this.stopped = false
    return this.attempt()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.retryTimer)
    this.closeEvents()
  }

  private setStatus(next: EngineStatus): void {
    if (JSON.stringify(next) === JSON.stringify(this.current)) return
    this.current = next
    this.opts.onStatus(next)
  }

  private closeEvents(): void {
    const stream = this.events as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined
    this.events = undefined
    stream?.removeAllListeners()
    stream?.destroy?.()
  }

  private scheduleRetry(): void {
    if (this.stopped) return
    clearTimeout(this.retryTimer)
    const base = this.opts.retryMs ?? 1000
    const wait = this.opts.backoffMaxMs ? Math.min(this.opts.backoffMaxMs, base * 2 ** Math.min(this.failures - 1, 16)) : base
    this.retryTimer = setTimeout(() => void this.attempt(), wait)
  }

  private async attempt(): Promise<void> {
    const tried: Array<{ source: string; host: string; error: string }> = []
    for (const candidate of this.opts.candidates()) {
      if (this.stopped) return
      try {
        await this.connectTo(candidate)
        return
      } catch (e) {
        tried.push({ source: candidate.source, host: candidate.host, error: connectionProblem(e) })
      }
    }
    this.docker = undefined
    this.failures++
    this.setStatus({ state: 'unavailable', tried, hint: this.opts.hint ?? unavailableHint(process.platform) })
    this.scheduleRetry()
  }

  private async connectTo(candidate: EngineCandidate): Promise<void> {
    // A short timeout for the probe; the long-lived client has none, or the event stream would time out.
    const probe = this.connect(candidate, this.opts.pingTimeoutMs ?? 1500)
    await probe.ping()
    const version = await probe.version()
    const docker = this.connect(candidate)
    const stream = (await docker.getEvents({ filters: WATCHED_EVENTS })) as NodeJS.ReadableStream
    if (this.stopped) {
      ;(stream as { destroy?: () => void }).destroy?.()
      return
    }
    this.closeEvents()
    this.failures = 0
    this.docker = docker
    this.events = stream
    this.followEvents(stream)
    this.setStatus({
      state: 'connected',
      source: candidate.source,
      host: candidate.host,
      version: version.Version,
      apiVersion: version.ApiVersion,
      os: version.Os,
      arch: version.Arch,
    })
  }

  private followEvents(stream: NodeJS.ReadableStream): void {
    let buffered = ''
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      let nl: number
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl).trim()
        buffered = buffered.slice(nl + 1)
        if (!line) continue
        try {
          this.opts.onEvent(JSON.parse(line) as DockerEvent)
        } catch {
          /* a malformed event line is skipped, not fatal */
        }
      }
    })
    const lost = () => {
      if (this.events !== stream || this.stopped) return
      this.closeEvents()
      this.docker = undefined
      // Try at once: a restarting engine may already answer again.
      void this.attempt()
    }
    stream.on('end', lost)
    stream.on('close', lost)
    stream.on('error', lost)
  }
}
