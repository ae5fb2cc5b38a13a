/** Starts `node out/main/web.js` (the browser mode) as a user would, and reads the line it prints. */
import { test as base } from '@playwright/test'
import { spawnWebApp } from '../../test/harness/webProcess'

export interface WebApp {
  url: string
  origin: string
  port: number
  token: string
  output: () => string
  stop(): Promise<void>
}

/** `firstRun` leaves the settings empty, so the first-run wizard opens; other tests start past it. */
export async function startWebApp(env: Record<string, string> = {}, opts: { firstRun?: boolean } = {}): Promise<WebApp> {
  const app = await spawnWebApp(
    { DOCKER_HOST: process.env.E2E_DOCKER_HOST, CLAWKER_NAME_PREFIX: process.env.E2E_NAME_PREFIX, ...env },
    { ...opts, timeoutMs: 15_000 },
  )
  return { url: app.url, port: app.port, origin: `http://127.0.0.1:${app.port}`, token: app.token, output: app.output, stop: app.stop }
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
