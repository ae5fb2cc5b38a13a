/**
 * A real Docker engine for the tests: the one that is reachable, or, as root on
 * Linux where none is, a private dockerd with its own socket and data-root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync, openSync, closeSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Docker from 'dockerode'
import { dockerFromHost } from '../../src/main/docker/connection'

export interface TestEngine {
  /** A DOCKER_HOST value (unix://...) that reaches the engine. */
  dockerHost: string
  /** True when this harness started its own dockerd. */
  private: boolean
  stop(): Promise<void>
}

async function answers(dockerHost: string, timeoutMs = 2000): Promise<boolean> {
  try {
    await dockerFromHost(dockerHost, timeoutMs).ping()
    return true
  } catch {
    return false
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}

export async function acquireEngine(): Promise<TestEngine> {
  const candidates = [process.env.DOCKER_HOST, 'unix:///var/run/docker.sock'].filter(
    (h): h is string => !!h,
  )
  for (const host of candidates) {
    if (await answers(host)) return { dockerHost: host, private: false, stop: async () => {} }
  }
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new Error(
      `No Docker engine answers (tried ${candidates.join(', ')}) and a private dockerd can only be started as root on Linux. Start Docker, or set DOCKER_HOST.`,
    )
  }
  return startPrivateDockerd()
}

/** Whether this process may start a private dockerd (root on Linux, dockerd installed). */
export function canStartPrivateDockerd(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/sbin/dockerd')
}

/**
 * Starts a dockerd of its own in `dir` (a new temp folder by default). `stop({ keepDir })`
 * leaves the folder, so a test can start the same engine again on the same socket.
 */
export async function startPrivateDockerd(
  dir = mkdtempSync(join(tmpdir(), 'clk-dockerd-')),
  extraArgs: string[] = [],
): Promise<TestEngine & { stop(opts?: { keepDir?: boolean }): Promise<void> }> {
  // A short path: unix socket paths are limited to ~108 bytes.
  const sock = join(dir, 'docker.sock')
  const dockerHost = `unix://${sock}`
  const logPath = join(dir, 'dockerd.log')
  const log = openSync(logPath, 'a')
  const child: ChildProcess = spawn(
    'dockerd',
    [
      '--host', dockerHost,
      '--data-root', join(dir, 'root'),
      '--exec-root', join(dir, 'exec'),
      '--pidfile', join(dir, 'dockerd.pid'),
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      ...extraArgs,
    ],
    { stdio: ['ignore', log, log], detached: false },
  )
  closeSync(log)
  let exited = false
  child.on('exit', () => (exited = true))
  child.on('error', () => (exited = true))
  try {
    await waitFor(async () => {
      if (exited) throw new Error(`dockerd exited at start; its log:\n${readTail(logPath)}`)
      return existsSync(sock) && (await answers(dockerHost))
    }, 60_000, 'the private dockerd')
  } catch (e) {
    child.kill('SIGKILL')
    throw e
  }
  return {
    dockerHost,
    private: true,
    async stop(opts: { keepDir?: boolean } = {}) {
      if (!exited) {
        child.kill('SIGTERM')
        await waitFor(async () => exited, 30_000, 'dockerd to stop').catch(() => child.kill('SIGKILL'))
      }
      if (opts.keepDir) return
      unmountUnder(dir)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * What dockerd left mounted under its folder (its default network namespace under exec/netns,
 * seen after a long benchmark run): unmounted, so the folder can go.
 */
function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1])
    .filter((m): m is string => !!m && (m === dir || m.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length)
  for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' })
}

function readTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n')
  } catch {
    return '(no log)'
  }
}

export function dockerFor(engine: { dockerHost: string }): Docker {
  return dockerFromHost(engine.dockerHost)
}
