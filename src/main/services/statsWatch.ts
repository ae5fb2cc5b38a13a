/**
 * CPU and memory of the agents a window shows, from the engine's stats stream: one
 * stream per watched running agent, opened when a window asks and closed when it
 * stops asking, the agent stops, the window goes away or the app quits. A window
 * says its whole set each time (its rows in view), and may hold only so many; all
 * windows together (the browser mode's sockets are windows) only so many more.
 * What a window asked for is kept while its agent is stopped: the stream opens again
 * when the agent starts (a restart the list may never have shown as a stop).
 */
import type Docker from 'dockerode'
import type { AgentStats } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { containerName, type AgentRef } from '../docker/names'
import { cpuPercent, isLiveSample, memoryLimit, memoryUsed, type DockerStatsSample } from '../docker/stats'

export interface StatsTarget extends AgentRef {
  engine: string
}

export interface StatsWatchOptions {
  /** The engine's client by id (throws when there is no such engine or it is not connected). */
  client(engine: string): Docker
  prefix: string
  /** How many streams one window may hold. */
  maxPerClient: number
  /** How many agents all windows together may watch (each a stream while it runs). */
  maxTotal: number
  /** A stream's samples are passed on at most this often (Docker sends one a second). */
  minIntervalMs?: number
}

interface Watch {
  target: StatsTarget
  stream: NodeJS.ReadableStream | null
  closed: boolean
  lastSent: number
}

interface Client {
  emit: (s: AgentStats) => void
  /** What the window asked for, by container key. */
  wanted: Map<string, StatsTarget>
  /** Streams open or opening: the wanted ones whose agent runs. */
  watches: Map<string, Watch>
}

export class StatsWatches {
  private readonly clients = new Map<string, Client>()

  constructor(private readonly opts: StatsWatchOptions) {}

  /** Replaces what a window watches with `targets`; answers how many agents it now watches. */
  watch(clientId: string, emit: (s: AgentStats) => void, targets: StatsTarget[]): number {
    if (targets.length > this.opts.maxPerClient) {
      throw new ClawkerError('invalid-input', `At most ${this.opts.maxPerClient} agents are watched at once.`, { field: 'agents' })
    }
    // Names are checked (and made) before anything opens: a bad one changes nothing.
    const wanted = new Map(targets.map((t) => [this.key(t), t]))
    let others = 0
    for (const [id, c] of this.clients) if (id !== clientId) others += c.wanted.size
    if (others + wanted.size > this.opts.maxTotal) {
      throw new ClawkerError('invalid-input', `At most ${this.opts.maxTotal} agents are watched at once over all windows.`, { field: 'agents' })
    }
    const client = this.clients.get(clientId) ?? { emit, wanted, watches: new Map<string, Watch>() }
    client.emit = emit
    client.wanted = wanted
    this.clients.set(clientId, client)
    for (const [key, w] of client.watches) if (!wanted.has(key)) this.close(client, key, w)
    for (const [key, target] of wanted) if (!client.watches.has(key)) this.open(client, key, target)
    if (wanted.size === 0) this.clients.delete(clientId)
    return wanted.size
  }

  /** The window went away: its streams close. */
  release(clientId: string): void {
    const client = this.clients.get(clientId)
    if (!client) return
    for (const [key, w] of client.watches) this.close(client, key, w)
    this.clients.delete(clientId)
  }

  /** The container stopped or went (a Docker event): every stream on it closes; the wish stays. */
  ended(engine: string, name: string): void {
    const key = `${engine}/${name}`
    for (const client of this.clients.values()) {
      const w = client.watches.get(key)
      if (w) this.close(client, key, w)
    }
  }

  /** The container started (a Docker event): windows that asked for it get its stream again. */
  started(engine: string, name: string): void {
    const key = `${engine}/${name}`
    for (const client of this.clients.values()) {
      const target = client.wanted.get(key)
      if (target && !client.watches.has(key)) this.open(client, key, target)
    }
  }

  closeAll(): void {
    for (const id of [...this.clients.keys()]) this.release(id)
  }

  /** Streams open or opening, over every window. */
  get openStreams(): number {
    let n = 0
    for (const c of this.clients.values()) n += c.watches.size
    return n
  }

  private key(t: StatsTarget): string {
    return `${t.engine}/${containerName({ project: t.project, agent: t.agent }, this.opts.prefix)}`
  }

  private close(client: Client, key: string, w: Watch): void {
    w.closed = true
    client.watches.delete(key)
    destroy(w.stream)
  }

  private open(client: Client, key: string, target: StatsTarget): void {
    const w: Watch = { target, stream: null, closed: false, lastSent: 0 }
    client.watches.set(key, w)
    const gone = () => {
      if (client.watches.get(key) === w) this.close(client, key, w)
    }
    let container: Docker.Container
    try {
      container = this.opts.client(target.engine).getContainer(containerName(target, this.opts.prefix))
    } catch {
      return gone() // the engine is not connected: nothing to watch
    }
    const minInterval = this.opts.minIntervalMs ?? 900
    container
      .stats({ stream: true })
      .then((stream) => {
        if (w.closed) return destroy(stream)
        w.stream = stream
        let buffered = ''
        stream.on('data', (chunk: Buffer | string) => {
          buffered += chunk.toString()
          let nl: number
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim()
            buffered = buffered.slice(nl + 1)
            if (line) this.sample(client, w, line, minInterval, gone)
          }
          // A sample is a few KB; a line that never ends is not one.
          if (buffered.length > 1024 * 1024) gone()
        })
        stream.on('end', gone)
        stream.on('close', gone)
        stream.on('error', gone)
      })
      .catch(gone) // no such container, or the engine went: the row shows no numbers
  }

  private sample(client: Client, w: Watch, line: string, minInterval: number, gone: () => void): void {
    if (w.closed) return
    let s: DockerStatsSample
    try {
      s = JSON.parse(line) as DockerStatsSample
    } catch {
      return
    }
    // A stopped container's stream goes on sending empty samples: it has ended for us.
    if (!isLiveSample(s)) return gone()
    const now = Date.now()
    if (now - w.lastSent < minInterval) return
    w.lastSent = now
    client.emit({
      engine: w.target.engine,
      id: s.id ?? '',
      project: w.target.project,
      agent: w.target.agent,
      cpuPercent: cpuPercent(s),
      memoryBytes: memoryUsed(s),
      memoryLimitBytes: memoryLimit(s),
    })
  }
}

function destroy(stream: NodeJS.ReadableStream | null): void {
  const s = stream as (NodeJS.ReadableStream & { destroy?: () => void }) | null
  s?.destroy?.()
}
