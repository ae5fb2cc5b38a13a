/**
 * A terminal belongs to the socket that opened it: when the page's socket goes
 * away (a closed tab, a dropped tunnel), its sessions and their engine streams go
 * too. Over the real browser-mode transport, against a real agent.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it, inject } from 'vitest'
import { createApp, type ClawkerApp } from '../../src/main/core/app'
import { startWebServer, type WebServer } from '../../src/main/web/server'
import { systemDiscoveryEnv } from '../../src/main/docker/connection'
import { connectWire } from '../harness/webClient'
import { agentImage, testDocker, testPrefix, uniqueProject } from '../harness/context'

const prefix = `${testPrefix()}tr`
let app: ClawkerApp
let server: WebServer

beforeAll(async () => {
  app = createApp({
    prefix,
    dataDir: mkdtempSync(join(tmpdir(), 'clk-tr-data-')),
    networkMode: 'none',
    discovery: { ...systemDiscoveryEnv(), env: { DOCKER_HOST: inject('dockerHost') } },
  })
  await app.start()
  server = await startWebServer({ handlers: app.handlers, hub: app.hub, rendererDir: mkdtempSync(join(tmpdir(), 'clk-tr-r-')) })
})

afterAll(async () => {
  await server?.close()
  await app?.stop()
  const { removeByPrefix } = await import('../harness/cleanup')
  await removeByPrefix(testDocker(), prefix)
})

it('closing the socket that opened terminals releases them and their engine streams', async () => {
  const project = uniqueProject('tr')
  const wire = await connectWire(server.port, server.token)
  const created = await wire.invoke('agents.create', { project, agent: 'a', workspace: mkdtempSync(join(tmpdir(), 'clk-tr-ws-')), workspaceMode: 'bind', image: agentImage(), command: ['sh'] })
  expect(created.ok, JSON.stringify(created)).toBe(true)
  for (const kind of ['attach', 'shell', 'logs'] as const) {
    const r = await wire.invoke('terminal.open', { sessionId: randomUUID(), kind, project, agent: 'a', cols: 80, rows: 24 })
    expect(r.ok, JSON.stringify(r)).toBe(true)
  }
  expect(app.terminals.size).toBe(3)
  wire.close()
  const t0 = Date.now()
  while (app.terminals.size > 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50))
  expect(app.terminals.size).toBe(0)
  // A second page is served as before.
  const again = await connectWire(server.port, server.token)
  expect((await again.invoke('engine.status', {})).ok).toBe(true)
  again.close()
})
