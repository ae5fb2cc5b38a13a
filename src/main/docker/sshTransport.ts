/**
 * HTTP to a remote engine over SSH, the way the docker CLI reaches `ssh://` hosts: each
 * HTTP connection is a `docker system dial-stdio` on the remote, here an ssh2 channel.
 *
 * docker-modem's own ssh transport opens a new SSH connection (key exchange, login) for
 * every request and closes it after. This agent keeps the SSH connection and multiplexes
 * channels on it, and keeps finished HTTP connections (channels) for the next request, as
 * Go's http.Transport does for the docker CLI. OpenSSH allows 10 sessions per connection
 * (MaxSessions), so a busy engine gets a second connection rather than refused channels.
 */
import { Agent, type AgentOptions } from 'node:http'
import { Duplex } from 'node:stream'
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2'

/** Channels one SSH connection carries; OpenSSH's MaxSessions default is 10. */
export const CHANNELS_PER_CONNECTION = 8
/** A finished HTTP connection waits this long for the next request before its channel closes. */
const FREE_CHANNEL_MS = 15_000
/** An SSH connection with no channel open closes after this. */
const IDLE_CONNECTION_MS = 30_000
const DIAL = 'docker system dial-stdio'

interface Connection {
  client: Client
  ready: Promise<void>
  channels: number
  /** Channels open on it: an HTTP request's, or kept free for the next one. */
  open: Set<ClientChannel>
  closed: boolean
  idle?: NodeJS.Timeout
}

/** What a socket must offer Node's http client, which a channel lacks. */
function asSocket(channel: ClientChannel): Duplex {
  let timer: NodeJS.Timeout | undefined
  let timeoutMs = 0
  const arm = () => {
    if (timer) clearTimeout(timer)
    timer = timeoutMs > 0 ? setTimeout(() => channel.emit('timeout'), timeoutMs).unref() : undefined
  }
  channel.on('data', arm)
  channel.on('close', () => timer && clearTimeout(timer))
  return Object.assign(channel, {
    setTimeout(ms: number, cb?: () => void) {
      timeoutMs = ms
      if (cb) channel.once('timeout', cb)
      arm()
      return channel
    },
    setNoDelay: () => channel,
    setKeepAlive: () => channel,
    ref: () => channel,
    unref: () => channel,
  })
}

/** What the remote said on stderr is kept (a little of it) for the error, when dial-stdio fails. */
const STDERR_KEPT = 2048

/** How long the end of a channel's output waits for the remote's exit status. */
const EXIT_STATUS_WAIT_MS = 1000

/**
 * When the remote's dial-stdio fails ("docker: not found", "Cannot connect to the Docker daemon
 * at unix:///var/run/docker.sock", permission denied on the socket), the request fails with
 * those words instead of a bare "socket hang up". OpenSSH may send the end of the output before
 * the exit status, and the http client gives up at the end: so the end is held until the exit
 * status (or the channel's close, or a second) has come.
 */
function sayWhyDialEnds(channel: ClientChannel): void {
  let said = ''
  let statusKnown = false
  let heldEnd: (() => void) | undefined
  channel.stderr.on('data', (c: Buffer) => {
    if (said.length < STDERR_KEPT) said += c.toString('utf8').slice(0, STDERR_KEPT - said.length)
  })
  const emit = channel.emit.bind(channel) as (event: string | symbol, ...args: unknown[]) => boolean
  channel.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event !== 'end' || statusKnown) return emit(event, ...args)
    const wait = setTimeout(() => release(), EXIT_STATUS_WAIT_MS).unref()
    heldEnd = () => {
      clearTimeout(wait)
      emit('end', ...args)
    }
    return true
  }) as ClientChannel['emit']
  const release = () => {
    statusKnown = true
    const end = heldEnd
    heldEnd = undefined
    end?.()
  }
  channel.once('exit', (code: number | null) => {
    if (code === 0 || !said.trim()) return release()
    statusKnown = true
    heldEnd = undefined
    // ssh2's channel.destroy() takes no error: the request hears it as the socket's error.
    emit('error', new Error(`${DIAL} on the engine's host failed${code === null ? '' : ` (exit ${code})`}: ${said.trim()}`))
    channel.destroy()
  })
  channel.once('close', release)
}

/** The socket Node's http client gets for a dial-stdio channel. */
export function dialSocket(channel: ClientChannel): Duplex {
  sayWhyDialEnds(channel)
  return asSocket(channel)
}

export interface SshAgent extends Agent {
  /** The engine's address (ssh://user@host:port), for the per-engine caches. */
  readonly engineAddress: string
  /** SSH connections open now (for tests and the benchmark). */
  openConnections(): number
}

/** An http.Agent whose connections are dial-stdio channels on shared SSH connections to `config`. */
export function sshAgent(config: ConnectConfig, engineAddress: string, options: AgentOptions = {}): SshAgent {
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 4, ...options }) as SshAgent
  const connections: Connection[] = []

  /** A connection that fails, ends or is being closed is never handed out again. */
  const retire = (conn: Connection) => {
    conn.closed = true
    if (conn.idle) clearTimeout(conn.idle)
    const i = connections.indexOf(conn)
    if (i >= 0) connections.splice(i, 1)
  }

  const open = (): Connection => {
    const client = new Client()
    const conn: Connection = { client, channels: 0, open: new Set(), closed: false, ready: Promise.resolve() }
    conn.ready = new Promise<void>((resolve, reject) => {
      client.once('ready', resolve)
      client.once('error', reject)
    })
    // A connection that died (a keepalive unanswered, the peer gone) takes its channels with it.
    // ssh2 only ends their reading side; a kept channel nobody reads would never close, and Node
    // would hand it to the next request, which would wait for ever.
    const died = () => {
      retire(conn)
      for (const channel of conn.open) Duplex.prototype.destroy.call(channel)
    }
    client.on('error', died)
    client.on('close', died)
    conn.ready.catch(() => {})
    client.connect(config)
    connections.push(conn)
    return conn
  }

  const release = (conn: Connection) => {
    conn.channels -= 1
    if (conn.channels > 0 || conn.closed) return
    conn.idle = setTimeout(() => {
      // Retired first: a request arriving while it closes gets a connection of its own.
      retire(conn)
      conn.client.end()
    }, IDLE_CONNECTION_MS).unref()
  }

  agent.createConnection = ((_opts: unknown, done: (err: Error | null, socket?: Duplex) => void) => {
    const conn = connections.find((c) => !c.closed && c.channels < CHANNELS_PER_CONNECTION) ?? open()
    conn.channels += 1
    if (conn.idle) clearTimeout(conn.idle)
    conn.ready
      .then(
        () =>
          new Promise<ClientChannel>((resolve, reject) =>
            conn.client.exec(DIAL, (err, channel) => (err ? reject(err) : resolve(channel))),
          ),
      )
      .then(
        (channel) => {
          conn.open.add(channel)
          channel.once('close', () => {
            conn.open.delete(channel)
            release(conn)
          })
          done(null, dialSocket(channel))
        },
        (err: Error) => {
          release(conn)
          done(err)
        },
      )
    return undefined
  }) as unknown as Agent['createConnection']

  // Node's own keep-alive bookkeeping (its listeners on a free socket), then: a kept channel
  // closes if no request comes for it in time.
  const freeTimers = new WeakMap<object, NodeJS.Timeout>()
  agent.keepSocketAlive = (socket) => {
    const keep = Agent.prototype.keepSocketAlive.call(agent, socket) as unknown as boolean
    if (keep) freeTimers.set(socket, setTimeout(() => socket.destroy(), FREE_CHANNEL_MS).unref())
    return keep
  }
  agent.reuseSocket = (socket, req) => {
    clearTimeout(freeTimers.get(socket))
    Agent.prototype.reuseSocket.call(agent, socket, req)
  }
  const destroy = agent.destroy.bind(agent)
  agent.destroy = () => {
    destroy()
    for (const c of [...connections]) c.client.end()
  }
  Object.defineProperty(agent, 'engineAddress', { value: engineAddress })
  agent.openConnections = () => connections.length
  return agent
}
