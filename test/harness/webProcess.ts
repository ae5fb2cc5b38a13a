/**
 * Starts `node out/main/web.js` (the browser mode) as a user would, in a data
 * folder of its own, and reads the address it prints. The browser tests and the
 * benchmark both start the app this way.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const LINE = /Clawker Desktop \(browser mode\): (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/

export interface WebAppProcess {
  child: ChildProcess
  url: string
  port: number
  token: string
  /** From the process's start to the address printed. */
  startupMs: number
  output(): string
  stop(): Promise<void>
}

/** `firstRun` leaves the settings empty, so the first-run wizard opens; otherwise the app starts past it. */
export async function spawnWebApp(env: Record<string, string | undefined>, opts: { firstRun?: boolean; timeoutMs?: number } = {}): Promise<WebAppProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clawker-web-data-'))
  if (!opts.firstRun) writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: 1, recentProjects: [], wizardDone: true }))
  const t0 = performance.now()
  const child: ChildProcess = spawn(process.execPath, ['out/main/web.js'], {
    env: { ...process.env, CLAWKER_DATA_DIR: dataDir, CLAWKER_NETWORK_MODE: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const timeoutMs = opts.timeoutMs ?? 20_000
  const m = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode printed no address in ${timeoutMs / 1000} s:\n${output}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const found = output.match(LINE)
      if (found) {
        clearTimeout(timer)
        resolve(found)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`web mode exited with ${code}:\n${output}`)))
  })
  return {
    child,
    url: m[1]!,
    port: Number(m[2]),
    token: m[3]!,
    startupMs: performance.now() - t0,
    output: () => output,
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
