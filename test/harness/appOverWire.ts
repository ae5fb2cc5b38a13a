/**
 * The app without a window (createApp) against the run's engine, behind the real browser-mode
 * server, with a name prefix of the test file's own; what it made is removed afterwards.
 * Registers the file's beforeAll (which waits for the engine to be connected) and afterAll.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, inject } from 'vitest'
import { createApp, type AppOptions, type ClawkerApp } from '../../src/main/core/app'
import { startWebServer, type WebServer } from '../../src/main/web/server'
import { systemDiscoveryEnv } from '../../src/main/docker/connection'
import { removeByPrefix } from './cleanup'
import { testDocker, testPrefix } from './context'

export interface AppOverWire {
  readonly prefix: string
  readonly app: ClawkerApp
  readonly server: WebServer
}

export function appOverWire(tag: string, options: Pick<AppOptions, 'agentListShareMs'> = {}): AppOverWire {
  const prefix = `${testPrefix()}${tag}`
  let app: ClawkerApp | undefined
  let server: WebServer | undefined
  beforeAll(async () => {
    app = createApp({
      prefix,
      dataDir: mkdtempSync(join(tmpdir(), `clk-${tag}-data-`)),
      networkMode: 'none',
      ...options,
      discovery: { ...systemDiscoveryEnv(), env: { DOCKER_HOST: inject('dockerHost') } },
    })
    await app.start()
    // On a loaded machine the first ping can miss its 1.5 s; the monitor tries again by itself.
    const t0 = Date.now()
    while (!app.engines.connected().includes('local')) {
      if (Date.now() - t0 > 30_000) throw new Error('the run\'s engine did not connect within 30 s')
      await new Promise((r) => setTimeout(r, 100))
    }
    server = await startWebServer({ handlers: app.handlers, hub: app.hub, rendererDir: mkdtempSync(join(tmpdir(), `clk-${tag}-r-`)) })
  })
  afterAll(async () => {
    await server?.close()
    await app?.stop()
    await removeByPrefix(testDocker(), prefix)
  })
  return {
    prefix,
    get app() {
      return app!
    },
    get server() {
      return server!
    },
  }
}
