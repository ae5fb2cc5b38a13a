/** Starts `node out/main/web.js` (the browser mode) as a user would, and reads the line it prints. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base } from '@playwright/test'

export interface WebApp {
  url: string
  origin: string
  port: number
  token: string
  output: () => string
  stop(): Promise<void>
}

const LINE = /Clawker Desktop \(browser mode\): (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/

/** `firstRun` leaves the settings empty, so the first-run wizard opens; other tests start past it. */
export async function startWebApp(env: Record<string, string> = {}, opts: { firstRun?: boolean } = {}): Promise<WebApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clawker-e2e-data-'))
  if (!opts.firstRun) writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: 1, recentProjects: [], wizardDone: true }))
  const child: ChildProcess = spawn(process.execPath, ['out/main/web.js'], {
    env: {
      ...process.env,
      DOCKER_HOST: process.env.E2E_DOCKER_HOST,
      CLAWKER_NAME_PREFIX: process.env.E2E_NAME_PREFIX,
      CLAWKER_DATA_DIR: dataDir,
      CLAWKER_NETWORK_MODE: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const m = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode printed no address in 15 s:\n${output}`)), 15_000)
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
  const port = Number(m[2])
  return {
    url: m[1]!,
    port,
    origin: `http://127.0.0.1:${port}`,
    token: m[3]!,
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

/** A test with the browser mode running against the run's real engine. */
export const test = base.extend<{ webApp: WebApp }>({
  webApp: async ({}, use) => {
    const app = await startWebApp()
    await use(app)
    await app.stop()
  },
})

export { expect } from '@playwright/test'
