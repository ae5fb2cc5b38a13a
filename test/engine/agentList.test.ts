/**
 * agents.list is one engine request shared by callers while no agent event came between them;
 * an event (here from outside the app, as the clawker CLI makes it) makes the next list fresh.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { appOverWire } from '../harness/appOverWire'
import { connectWire } from '../harness/webClient'
import { agentImage, testDocker, uniqueProject } from '../harness/context'

// Longer than anything here takes: a list is shared for the whole test unless an event says otherwise.
const wired = appOverWire('al', { agentListShareMs: 120_000 })

type Listed = { value: Array<{ project: string; agent: string; state: string }> }

it('lists an agent killed outside the app as exited once its event came', async () => {
  const project = uniqueProject('al')
  const wire = await connectWire(wired.server.port, wired.server.token)
  const created = await wire.invoke('agents.create', { project, agent: 'a', workspace: mkdtempSync(join(tmpdir(), 'clk-al-ws-')), workspaceMode: 'bind', image: agentImage(), command: ['sh'], start: true })
  expect(created.ok, JSON.stringify(created)).toBe(true)
  const mine = async () => ((await wire.invoke('agents.list', {})) as Listed).value.filter((a) => a.project === project)
  // Settle the create's and start's events, then read a list that later calls may share.
  await new Promise((r) => setTimeout(r, 500))
  expect((await mine()).map((a) => a.state)).toEqual(['running'])
  const seen = wire.events.length
  await testDocker().getContainer(`${wired.prefix}.${project}.a`).kill()
  const t0 = Date.now()
  while (!wire.events.slice(seen).some((e) => e.event === 'agents.changed')) {
    if (Date.now() - t0 > 10_000) throw new Error('no agents.changed within 10 s of the kill')
    await new Promise((r) => setTimeout(r, 10))
  }
  expect((await mine()).map((a) => a.state)).toEqual(['exited'])
})
