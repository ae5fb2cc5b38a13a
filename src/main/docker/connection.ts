/**
 * Finding and connecting to a Docker engine: DOCKER_HOST, the current docker
 * context, then the well-known sockets of the common engines.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import Docker from 'dockerode'

export interface EngineCandidate {
  /** Where it came from, shown to the user: "DOCKER_HOST", "docker context colima", "Docker Desktop". */
  source: string
  /** A DOCKER_HOST-style address: unix:///path, npipe:////./pipe/x or tcp://host:port. */
  host: string
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

/** The host of the current docker context, from ~/.docker (DOCKER_CONTEXT or config.json's currentContext). */
export function currentContextHost(d: DiscoveryEnv): EngineCandidate | undefined {
  const configDir = d.env.DOCKER_CONFIG || join(d.home, '.docker')
  let name = d.env.DOCKER_CONTEXT
  if (!name) {
    const raw = d.readFile(join(configDir, 'config.json'))
    if (raw) {
      try {
        name = (JSON.parse(raw) as { currentContext?: string }).currentContext
      } catch {
        /* an unreadable config is the same as no context */
      }
    }
  }
  if (!name || name === 'default') return undefined
  const metaRoot = join(configDir, 'contexts', 'meta')
  for (const dir of d.readDir(metaRoot)) {
    const raw = d.readFile(join(metaRoot, dir, 'meta.json'))
    if (!raw) continue
    try {
      const meta = JSON.parse(raw) as { Name?: string; Endpoints?: { docker?: { Host?: string } } }
      const host = meta.Endpoints?.docker?.Host
      if (meta.Name === name && host) return { source: `docker context ${name}`, host }
    } catch {
      /* skip a broken context */
    }
  }
  return undefined
}

/** Every place an engine may answer, in the order they are tried. */
export function engineCandidates(d: DiscoveryEnv): EngineCandidate[] {
  const out: EngineCandidate[] = []
  if (d.env.DOCKER_HOST) return [{ source: 'DOCKER_HOST', host: d.env.DOCKER_HOST }]
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

/** A dockerode client for a DOCKER_HOST-style address. */
export function dockerFromHost(host: string, timeoutMs?: number): Docker {
  const timeout = timeoutMs === undefined ? {} : { timeout: timeoutMs }
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length), ...timeout })
  if (host.startsWith('npipe://')) return new Docker({ socketPath: host.slice('npipe://'.length), ...timeout })
  const url = new URL(host.replace(/^tcp:/, 'http:'))
  return new Docker({
    host: url.hostname,
    port: Number(url.port || 2375),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    ...timeout,
  })
}
