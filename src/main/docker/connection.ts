/**
 * Finding and connecting to a Docker engine: DOCKER_HOST, the current docker
 * context, then the well-known sockets of the common engines; the docker CLI's
 * contexts, with their TLS material; clients for unix, npipe, tcp (TLS) and ssh.
 */
import { createHmac } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import Docker from 'dockerode'
import { utils as sshUtils, type ConnectConfig } from 'ssh2'
import { sshAgent, type SshAgent } from './sshTransport'

// docker-modem follows an HTTP redirect as a plain URL (its http.js comes from follow-redirects): an engine
// answering a path-like name (`./img`) with a redirect sent the next request to whatever host the user typed,
// and its DNS error had no handler. No Docker API call is redirected for a good reason: never follow one.
;(createRequire(__filename)('docker-modem/lib/http') as { maxRedirects: number }).maxRedirects = 0

export interface EngineCandidate {
  /** Where it came from, shown to the user: "DOCKER_HOST", "docker context colima", "Docker Desktop". */
  source: string
  /** A DOCKER_HOST-style address: unix:///path, npipe:////./pipe/x, tcp://host:port or ssh://user@host[:port]. */
  host: string
  /** TLS for tcp://: the folder with ca.pem, cert.pem and key.pem, and whether the server's certificate is checked. */
  tls?: { dir: string; verify: boolean }
  /** The docker context it came from. */
  context?: string
}

export interface DiscoveryEnv {
  env: NodeJS.ProcessEnv
  home: string
  platform: NodeJS.Platform
  /** Whether a path exists; injectable so discovery is testable without real sockets. */
  exists: (path: string) => boolean
  readFile: (path: string) => string | undefined
  readDir: (path: string) => string[]
}

export function systemDiscoveryEnv(): DiscoveryEnv {
  return {
    env: process.env,
    home: homedir(),
    platform: process.platform,
    exists: existsSync,
    readFile: (p) => {
      try {
        return readFileSync(p, 'utf8')
      } catch {
        return undefined
      }
    },
    readDir: (p) => {
      try {
        return readdirSync(p)
      } catch {
        return []
      }
    },
  }
}

/** A docker context, as `docker context ls` lists it. */
export interface DockerContext {
  name: string
  host: string
  description: string
  /** Folder with the context's ca.pem, cert.pem and key.pem, when it has TLS material. */
  tlsDir?: string
  skipTlsVerify: boolean
}

/** The docker CLI's folder: DOCKER_CONFIG or ~/.docker. */
const configDir = (d: DiscoveryEnv) => d.env.DOCKER_CONFIG || join(d.home, '.docker')

/**
 * Every context in ~/.docker/contexts. Its metadata is in meta/<sha256 of its name>/meta.json
 * and its TLS material in tls/<same>/docker/, as the docker CLI stores them.
 */
export function listContexts(d: DiscoveryEnv): DockerContext[] {
  const root = join(configDir(d), 'contexts')
  const out: DockerContext[] = []
  for (const dir of d.readDir(join(root, 'meta'))) {
    const raw = d.readFile(join(root, 'meta', dir, 'meta.json'))
    if (!raw) continue
    try {
      const meta = JSON.parse(raw) as { Name?: string; Metadata?: { Description?: string }; Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } }
      const host = meta.Endpoints?.docker?.Host
      if (!meta.Name || !host) continue
      const tlsDir = join(root, 'tls', dir, 'docker')
      const hasTls = d.readFile(join(tlsDir, 'ca.pem')) !== undefined || d.readFile(join(tlsDir, 'cert.pem')) !== undefined
      out.push({
        name: meta.Name,
        host,
        description: meta.Metadata?.Description ?? '',
        ...(hasTls ? { tlsDir } : {}),
        skipTlsVerify: meta.Endpoints?.docker?.SkipTLSVerify === true,
      })
    } catch {
      /* skip a broken context */
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name))
}

/** The name of the current docker context: DOCKER_CONTEXT, else config.json's currentContext. */
export function currentContextName(d: DiscoveryEnv): string | undefined {
  if (d.env.DOCKER_CONTEXT) return d.env.DOCKER_CONTEXT
  const raw = d.readFile(join(configDir(d), 'config.json'))
  if (!raw) return undefined
  try {
    return (JSON.parse(raw) as { currentContext?: string }).currentContext
  } catch {
    return undefined // an unreadable config is the same as no context
  }
}

/** The engine of a context, with its TLS material. */
export function contextCandidate(c: DockerContext): EngineCandidate {
  return {
    source: `docker context ${c.name}`,
    host: c.host,
    context: c.name,
    ...(c.tlsDir ? { tls: { dir: c.tlsDir, verify: !c.skipTlsVerify } } : {}),
  }
}

/** The host of the current docker context (none for "default": that is DOCKER_HOST or the sockets). */
export function currentContextHost(d: DiscoveryEnv): EngineCandidate | undefined {
  const name = currentContextName(d)
  if (!name || name === 'default') return undefined
  const c = listContexts(d).find((x) => x.name === name)
  return c ? contextCandidate(c) : undefined
}

/** TLS for a DOCKER_HOST, as the docker CLI reads it: DOCKER_TLS_VERIFY or DOCKER_TLS, certificates in DOCKER_CERT_PATH (or ~/.docker). */
export function envTls(d: DiscoveryEnv): EngineCandidate['tls'] {
  const verify = !!d.env.DOCKER_TLS_VERIFY
  if (!verify && !d.env.DOCKER_TLS) return undefined
  return { dir: d.env.DOCKER_CERT_PATH || configDir(d), verify }
}

/** Every place an engine may answer, in the order they are tried. */
export function engineCandidates(d: DiscoveryEnv): EngineCandidate[] {
  const out: EngineCandidate[] = []
  if (d.env.DOCKER_HOST) {
    const tls = envTls(d)
    return [{ source: 'DOCKER_HOST', host: d.env.DOCKER_HOST, ...(tls ? { tls } : {}) }]
  }
  const ctx = currentContextHost(d)
  if (ctx) out.push(ctx)
  if (d.platform === 'win32') {
    out.push({ source: 'Docker Desktop', host: 'npipe:////./pipe/docker_engine' })
    return out
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0
  const runtimeDir = d.env.XDG_RUNTIME_DIR || `/run/user/${uid}`
  const sockets: Array<[string, string]> = [
    ['Docker Desktop', join(d.home, '.docker', 'run', 'docker.sock')],
    ['Docker Desktop', join(d.home, '.docker', 'desktop', 'docker.sock')],
    ['Colima', join(d.home, '.colima', 'default', 'docker.sock')],
    ['Colima', join(d.home, '.colima', 'docker.sock')],
    ['OrbStack', join(d.home, '.orbstack', 'run', 'docker.sock')],
    ['Rancher Desktop', join(d.home, '.rd', 'docker.sock')],
    ['rootless Docker', join(runtimeDir, 'docker.sock')],
    ['Podman', join(runtimeDir, 'podman', 'podman.sock')],
    ['Podman', '/run/podman/podman.sock'],
    ['Docker', '/var/run/docker.sock'],
  ]
  // Only sockets that exist are worth a ping, but /var/run/docker.sock is always
  // listed so the "what was tried" message names it.
  sockets.forEach(([source, path], i) => {
    if (i === sockets.length - 1 || d.exists(path)) out.push({ source, host: `unix://${path}` })
  })
  return out
}

export interface ConnectOptions {
  timeoutMs?: number
  tls?: EngineCandidate['tls']
  /** Where files are read (TLS material, SSH keys, known_hosts) and the user's SSH agent is found. */
  discovery?: DiscoveryEnv
  /** How a kept SSH connection is checked (SSH_KEEPALIVE unless given). */
  sshKeepalive?: SshKeepalive
}

export interface SshKeepalive {
  intervalMs: number
  /** Unanswered checks before the connection is given up. */
  countMax: number
}

/** An SSH login has this long to finish (ssh2's own default). */
export const SSH_LOGIN_TIMEOUT_MS = 20_000
/** A kept SSH connection that answers no check for 30 s is given up, as `ServerAliveInterval 10` would. */
export const SSH_KEEPALIVE: SshKeepalive = { intervalMs: 10_000, countMax: 3 }

/**
 * The dockerode options for an address, with the transports docker-modem has for each
 * scheme: a unix socket or named pipe; tcp, in TLS when asked (certificates read from the
 * folder given); ssh (the remote runs `docker system dial-stdio`), with the user's SSH agent
 * and keys, and the host key checked against known_hosts.
 */
export function connectionOptions(host: string, opts: ConnectOptions = {}): Docker.DockerOptions {
  const timeout = opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs }
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length), ...timeout }
  if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length), ...timeout }
  let url: URL
  try {
    url = new URL(host)
  } catch {
    throw new Error(`"${host}" is not an engine address: use unix://, npipe://, tcp://host:port or ssh://user@host.`)
  }
  const d = opts.discovery ?? systemDiscoveryEnv()
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1')
  switch (url.protocol) {
    case 'ssh:': {
      const { config, address } = sshConnectConfig(url, d, opts.sshKeepalive)
      // Plain HTTP whose connections are dial-stdio channels on one kept SSH connection.
      return { protocol: 'http', host: config.host, port: config.port, agent: sshAgent(config, address), ...timeout } as unknown as Docker.DockerOptions
    }
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const tls = opts.tls ?? (url.protocol === 'https:' ? { dir: configDir(d), verify: true } : undefined)
      const port = Number(url.port || (tls ? 2376 : 2375))
      if (!tls) return { host: hostname, port, protocol: 'http', ...timeout }
      const read = (name: string) => d.readFile(join(tls.dir, name))
      const [ca, cert, key] = [read('ca.pem'), read('cert.pem'), read('key.pem')]
      return {
        host: hostname,
        port,
        protocol: 'https',
        ...(ca ? { ca } : {}),
        ...(cert ? { cert } : {}),
        ...(key ? { key } : {}),
        // DOCKER_TLS without _VERIFY (or a context's SkipTLSVerify): encrypted, the server's certificate not checked.
        ...(tls.verify ? {} : { checkServerIdentity: () => undefined, rejectUnauthorized: false }),
        ...timeout,
      } as Docker.DockerOptions
    }
    default:
      throw new Error(`"${host}": the ${url.protocol.replace(':', '')} scheme is not an engine address; use unix://, npipe://, tcp:// or ssh://.`)
  }
}

/**
 * What ssh2 needs for an ssh:// address, as the ssh client would use it: the user (else $USER),
 * port 22, the user's agent (SSH_AUTH_SOCK), the first private key found, and the host key
 * checked against known_hosts; and the engine's address, the key of its caches.
 */
export function sshConnectConfig(url: URL, d: DiscoveryEnv, keepalive: SshKeepalive = SSH_KEEPALIVE): { config: ConnectConfig & { host: string; port: number }; address: string } {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const port = Number(url.port || 22)
  const username = decodeURIComponent(url.username) || d.env.USER || d.env.LOGNAME || 'root'
  const sshDir = join(d.home, '.ssh')
  // A key locked by a passphrase is the agent's to use: handed to ssh2 without one, it makes the
  // whole login throw before the agent is asked.
  const key = ['id_ed25519', 'id_ecdsa', 'id_rsa']
    .map((k) => d.readFile(join(sshDir, k)))
    .find((k) => k !== undefined && !(sshUtils.parseKey(k) instanceof Error))
  const knownHosts = d.readFile(join(sshDir, 'known_hosts')) ?? ''
  const config = {
    host,
    port,
    username,
    ...(d.env.SSH_AUTH_SOCK ? { agent: d.env.SSH_AUTH_SOCK } : {}),
    ...(key ? { privateKey: key } : {}),
    hostVerifier: (hostKey: Buffer) => knownHostMatches(knownHosts, host, port, hostKey),
    // The login gets its own time, not a probe's 1.5 s: a far host, or a key that wants a touch, takes longer.
    readyTimeout: SSH_LOGIN_TIMEOUT_MS,
    // The connection is kept for later requests: a peer gone quiet (a laptop asleep, a NAT mapping
    // dropped) must be noticed, or every request on it would wait for ever.
    keepaliveInterval: keepalive.intervalMs,
    keepaliveCountMax: keepalive.countMax,
  }
  return { config, address: `ssh://${username}@${host}:${port}` }
}

/**
 * Whether known_hosts holds this key for the host, as OpenSSH writes it: `host`, `[host]:port`
 * for another port, comma-separated names, or hashed names (`|1|salt|HMAC-SHA1(salt, name)`).
 */
export function knownHostMatches(knownHosts: string, host: string, port: number, key: Buffer): boolean {
  const name = port === 22 ? host : `[${host}]:${port}`
  const wanted = key.toString('base64')
  for (const line of knownHosts.split('\n')) {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 3 || fields[0]!.startsWith('#') || fields[0]!.startsWith('@')) continue
    const [hosts, , b64] = fields as [string, string, string]
    if (b64 !== wanted) continue
    const matches = hosts.split(',').some((h) => {
      if (!h.startsWith('|1|')) return h === name
      const [, , salt, hash] = h.split('|')
      if (!salt || !hash) return false
      return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash
    })
    if (matches) return true
  }
  return false
}

/** A dockerode client for a DOCKER_HOST-style address. */
export function dockerFromHost(host: string, timeoutMsOrOpts?: number | ConnectOptions): Docker {
  const opts = typeof timeoutMsOrOpts === 'number' ? { timeoutMs: timeoutMsOrOpts } : (timeoutMsOrOpts ?? {})
  return new Docker(connectionOptions(host, opts))
}

/** Which engine a client talks to (socket, or scheme, host and port): the key of everything cached per engine. */
export function engineKey(docker: Docker): string {
  const m = docker.modem as unknown as { socketPath?: string; protocol?: string; host?: string; port?: number | string; username?: string; agent?: Partial<SshAgent> }
  if (m.socketPath) return `unix://${m.socketPath}`
  if (m.agent?.engineAddress) return m.agent.engineAddress
  return `${m.protocol ?? 'http'}://${m.username ? `${m.username}@` : ''}${m.host ?? ''}:${m.port ?? ''}`
}
