/**
 * Start, Stop and Remove for a selection: one request, each agent's result, one
 * failure not stopping the others; a stop asked for raises no "exited" alarm.
 * Over the real browser-mode transport, against real agents.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { appOverWire } from '../harness/appOverWire'
import { connectWire } from '../harness/webClient'
import { agentImage, testDocker, uniqueProject } from '../harness/context'

const wired = appOverWire('mn')
const { prefix } = wired

it('stops, starts and removes a selection, with each agent\'s result and no exit alarm', async () => {
  const project = uniqueProject('mn')
  const wire = await connectWire(wired.server.port, wired.server.token)
  for (const agent of ['a', 'b']) {
    const r = await wire.invoke('agents.create', { project, agent, workspace: mkdtempSync(join(tmpdir(), 'clk-mn-ws-')), workspaceMode: 'bind', image: agentImage(), command: ['sh'] })
    expect(r.ok, JSON.stringify(r)).toBe(true)
  }
  const agents = [{ project, agent: 'a' }, { project, agent: 'ghost' }, { project, agent: 'b' }]
  const stopped = await wire.invoke('agents.stopMany', { agents })
  expect(stopped.ok).toBe(true)
  const results = (stopped as { value: { results: Array<{ agent: string; ok: boolean; error?: string }> } }).value.results
  expect(results.map((r) => [r.agent, r.ok])).toEqual([['a', true], ['ghost', false], ['b', true]])
  expect(results[1]!.error).toMatch(/ghost/)
  const state = async (agent: string) => (await testDocker().getContainer(`${prefix}.${project}.${agent}`).inspect()).State
  expect((await state('a')).Running).toBe(false)
  expect((await state('b')).Running).toBe(false)
  // The engine's die events have come and gone: none was an alarm.
  await new Promise((r) => setTimeout(r, 500))
  expect(wire.events.filter((e) => e.event === 'agents.exited')).toEqual([])
  const listed = await wire.invoke('agents.list', {})
  const mine = (listed as { value: Array<{ project: string; stoppedByUser?: boolean }> }).value.filter((a) => a.project === project)
  expect(mine.map((a) => a.stoppedByUser)).toEqual([true, true])

  const started = await wire.invoke('agents.startMany', { agents: [{ project, agent: 'a' }] })
  expect(started).toMatchObject({ ok: true, value: { results: [{ agent: 'a', ok: true }] } })
  expect((await state('a')).Running).toBe(true)

  const removed = await wire.invoke('agents.removeMany', { agents: [{ project, agent: 'a' }, { project, agent: 'b' }], removeVolumes: true })
  expect(removed).toMatchObject({ ok: true, value: { results: [{ ok: true }, { ok: true }] } })
  await new Promise((r) => setTimeout(r, 500))
  expect(wire.events.filter((e) => e.event === 'agents.exited')).toEqual([])
  const left = await testDocker().listContainers({ all: true, filters: { name: [`${prefix}.${project}.`] } })
  expect(left).toEqual([])
  const volumes = ((await testDocker().listVolumes()).Volumes ?? []).filter((v) => v.Name.startsWith(`${prefix}.${project}.`))
  expect(volumes).toEqual([])
  wire.close()
})
