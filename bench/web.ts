/** The browser mode as a user starts it (`node out/main/web.js`), past the first-run wizard. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface WebProcess {
  url: string
  pid: number
  /** From spawn to the address printed. */
  startupMs: number
  /** Resident set size of the process, in MB (Linux /proc). */
  rssMb(): number
  /** Open sockets of the process (Linux /proc): engine connections, attaches, the page's socket. */
  sockets(): number
  stop(): Promise<void>
}

const LINE = /Clawker Desktop \(browser mode\): (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/

export async function startWeb(env: { dockerHost: string; prefix: string }): Promise<WebProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clawker-bench-data-'))
  // As the e2e tests do: settings that say the first-run wizard was done, so it does not cover the list.
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: 1, recentProjects: [], wizardDone: true }))
  const t0 = performance.now()
  const child: ChildProcess = spawn(process.execPath, ['out/main/web.js'], {
    env: { ...process.env, DOCKER_HOST: env.dockerHost, CLAWKER_NAME_PREFIX: env.prefix, CLAWKER_DATA_DIR: dataDir, CLAWKER_NETWORK_MODE: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode printed no address in 20 s:\n${output}`)), 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const m = output.match(LINE)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`web mode exited with ${code}:\n${output}`)))
  })
  const startupMs = performance.now() - t0
  const pid = child.pid!
  return {
    url,
    pid,
    startupMs,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024,
    sockets: () => readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return /^socket:/.test(readlinkSync(`/proc/${pid}/fd/${fd}`))
      } catch {
        return false
      }
    }).length,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

