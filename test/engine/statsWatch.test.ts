/**
 * CPU and memory from the engine's stats stream, over the real browser-mode
 * transport against a real agent: a watched running agent yields samples; the
 * stream closes when the window stops watching, when the agent stops and when
 * the window's socket goes away.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { AgentStats } from '../../src/shared/contract'
import { appOverWire } from '../harness/appOverWire'
import { connectWire, type WireClient } from '../harness/webClient'
import { agentImage, testDocker, uniqueProject } from '../harness/context'

const wired = appOverWire('st')

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now()
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const samples = (wire: WireClient, agent: string) =>
  wire.events.filter((e) => e.event === 'agents.stats' && (e.payload as AgentStats).agent === agent).map((e) => e.payload as AgentStats)

async function runningAgent(wire: WireClient, project: string, agent: string) {
  const created = await wire.invoke('agents.create', { project, agent, workspace: mkdtempSync(join(tmpdir(), 'clk-st-ws-')), workspaceMode: 'bind', image: agentImage(), command: ['sh'] })
  expect(created.ok, JSON.stringify(created)).toBe(true)
  return (created as { value: { id: string } }).value.id
}

it('a watched running agent yields samples with memory; watching none closes the stream', async () => {
  const project = uniqueProject('st')
  const wire = await connectWire(wired.server.port, wired.server.token)
  const id = await runningAgent(wire, project, 'a')
  const r = await wire.invoke('agents.watchStats', { agents: [{ project, agent: 'a' }] })
  expect(r).toEqual({ ok: true, value: { watching: 1 } })
  await until('a stats event', () => samples(wire, 'a').length > 0)
  const s = samples(wire, 'a')[0]!
  expect(s).toMatchObject({ engine: 'local', id, project, agent: 'a' })
  expect(s.memoryBytes).toBeGreaterThan(0)
  expect(s.memoryLimitBytes).toBeGreaterThanOrEqual(s.memoryBytes)
  expect(s.cpuPercent).toBeGreaterThanOrEqual(0)
  expect(wired.app.stats.openStreams).toBe(1)

  expect(await wire.invoke('agents.watchStats', { agents: [] })).toEqual({ ok: true, value: { watching: 0 } })
  expect(wired.app.stats.openStreams).toBe(0)
  // Nothing more arrives once the stream is closed (Docker sends one a second).
  const before = samples(wire, 'a').length
  await new Promise((r) => setTimeout(r, 2500))
  expect(samples(wire, 'a').length).toBe(before)
  wire.close()
})

it('stopping the agent ends its stream, and a closed socket releases the rest', async () => {
  const project = uniqueProject('st')
  const wire = await connectWire(wired.server.port, wired.server.token)
  await runningAgent(wire, project, 'b')
  await runningAgent(wire, project, 'c')
  await wire.invoke('agents.watchStats', { agents: [{ project, agent: 'b' }, { project, agent: 'c' }] })
  await until('samples of both', () => samples(wire, 'b').length > 0 && samples(wire, 'c').length > 0)
  expect(wired.app.stats.openStreams).toBe(2)

  // Named twice, acted on once.
  const stopped = await wire.invoke('agents.stopMany', { agents: [{ project, agent: 'b' }, { project, agent: 'b' }] })
  expect(stopped).toEqual({ ok: true, value: { results: [{ project, agent: 'b', engine: 'local', ok: true }] } })
  await until('the stopped agent\'s stream to close', () => wired.app.stats.openStreams === 1)
  // A stop the user asked for raises no "exited" alarm.
  expect(wire.events.filter((e) => e.event === 'agents.exited')).toEqual([])

  wire.close()
  await until('the socket\'s streams to close', () => wired.app.stats.openStreams === 0)
})

it('a watched agent that restarts streams again, though the window asked nothing new', async () => {
  const project = uniqueProject('st')
  const wire = await connectWire(wired.server.port, wired.server.token)
  const id = await runningAgent(wire, project, 'r')
  await wire.invoke('agents.watchStats', { agents: [{ project, agent: 'r' }] })
  await until('a first sample', () => samples(wire, 'r').length > 0)
  // A restart: die closes the stream, start opens it again (the list may never have shown it stopped).
  await testDocker().getContainer(id).restart({ t: 0 })
  // What was on its way before the restart has come by now (Docker sends a sample a second).
  await new Promise((r) => setTimeout(r, 1500))
  const before = samples(wire, 'r').length
  await until('a sample after the restart', () => samples(wire, 'r').length > before)
  expect(wired.app.stats.openStreams).toBe(1)
  wire.close()
  await until("the socket's streams to close", () => wired.app.stats.openStreams === 0)
})

it('all windows together may not hold more streams than the cap over them', async () => {
  const wires = await Promise.all(Array.from({ length: 5 }, () => connectWire(wired.server.port, wired.server.token)))
  const ask = (w: WireClient, i: number) => w.invoke('agents.watchStats', { agents: Array.from({ length: 64 }, (_, j) => ({ project: 'p', agent: `w${i}a${j}` })) })
  for (const [i, w] of wires.slice(0, 4).entries()) expect((await ask(w, i)).ok).toBe(true)
  expect(await ask(wires[4]!, 4)).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'agents' } })
  for (const w of wires) w.close()
  await until('every socket released', () => wired.app.stats.openStreams === 0)
})

it('one window may not hold more streams than the cap', async () => {
  const wire = await connectWire(wired.server.port, wired.server.token)
  const many = Array.from({ length: 65 }, (_, i) => ({ project: 'p', agent: `a${i}` }))
  const r = await wire.invoke('agents.watchStats', { agents: many })
  expect(r.ok).toBe(false)
  expect(wired.app.stats.openStreams).toBe(0)
  wire.close()
})
