/**
 * A terminal belongs to the socket that opened it: when the page's socket goes
 * away (a closed tab, a dropped tunnel), its sessions and their engine streams go
 * too. Over the real browser-mode transport, against a real agent.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { appOverWire } from '../harness/appOverWire'
import { connectWire } from '../harness/webClient'
import { agentImage, uniqueProject } from '../harness/context'

const wired = appOverWire('tr')

it('closing the socket that opened terminals releases them and their engine streams', async () => {
  const project = uniqueProject('tr')
  const wire = await connectWire(wired.server.port, wired.server.token)
  const created = await wire.invoke('agents.create', { project, agent: 'a', workspace: mkdtempSync(join(tmpdir(), 'clk-tr-ws-')), workspaceMode: 'bind', image: agentImage(), command: ['sh'] })
  expect(created.ok, JSON.stringify(created)).toBe(true)
  for (const kind of ['attach', 'shell', 'logs'] as const) {
    const r = await wire.invoke('terminal.open', { sessionId: randomUUID(), kind, project, agent: 'a', cols: 80, rows: 24 })
    expect(r.ok, JSON.stringify(r)).toBe(true)
  }
  expect(wired.app.terminals.size).toBe(3)
  wire.close()
  const t0 = Date.now()
  while (wired.app.terminals.size > 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50))
  expect(wired.app.terminals.size).toBe(0)
  // A second page is served as before.
  const again = await connectWire(wired.server.port, wired.server.token)
  expect((await again.invoke('engine.status', {})).ok).toBe(true)
  again.close()
})
