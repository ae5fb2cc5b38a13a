/**
 * Which engine events make the window read the credential state again: a container's die
 * does not. `docker rm -f` (and the clawker CLI) kill, then remove the container and its
 * volumes; a read set off by the die held those volumes in use (CI: "volume is in use").
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { appOverWire } from '../harness/appOverWire'
import { connectWire } from '../harness/webClient'
import { agentImage, baseImage, testDocker, uniqueProject } from '../harness/context'
import { serviceContext } from '../../src/main/services/context'
import { withVolumes } from '../../src/main/services/volumeArchive'
import type { CredentialState } from '../../src/shared/contract'

const wired = appOverWire('ce')

it('asks for no credential read when an agent dies, and for one when it starts or is created', async () => {
  const project = uniqueProject('ce')
  const wire = await connectWire(wired.server.port, wired.server.token)
  const created = await wire.invoke('agents.create', { project, agent: 'a', workspace: mkdtempSync(join(tmpdir(), 'clk-ce-ws-')), workspaceMode: 'bind', image: agentImage(), command: ['sh'], start: true })
  expect(created.ok, JSON.stringify(created)).toBe(true)
  const container = testDocker().getContainer(`${wired.prefix}.${project}.a`)
  const heard: string[] = []
  const off = wired.app.hub.subscribe((event) => void heard.push(event))
  try {
    const until = async (event: string) => {
      const t0 = Date.now()
      while (!heard.includes(event)) {
        if (Date.now() - t0 > 10_000) throw new Error(`no ${event} within 10 s; heard ${heard.join(', ')}`)
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    // Past the create's and start's events.
    await new Promise((r) => setTimeout(r, 500))
    heard.length = 0
    await container.kill()
    await until('agents.changed')
    // The die's own event would have come with it, before the settled agents.changed.
    await new Promise((r) => setTimeout(r, 300))
    expect(heard).not.toContain('credentials.changed')

    heard.length = 0
    await container.start()
    await until('credentials.changed')

    // An agent created and not started is listed in the state too (its config volume is new).
    await new Promise((r) => setTimeout(r, 500))
    heard.length = 0
    const second = await wire.invoke('agents.create', { project, agent: 'b', workspace: mkdtempSync(join(tmpdir(), 'clk-ce-ws-')), workspaceMode: 'bind', image: agentImage(), command: ['sh'], start: false })
    expect(second.ok, JSON.stringify(second)).toBe(true)
    await until('credentials.changed')
  } finally {
    off()
  }
})

it('reads, until a change is heard, only the volumes a running agent can change (and the shared one)', async () => {
  const project = uniqueProject('cr')
  const wire = await connectWire(wired.server.port, wired.server.token)
  // A plain image: no entrypoint or keeper that would move the files this test writes.
  const make = (agent: string, start: boolean) =>
    wire.invoke('agents.create', { project, agent, workspace: mkdtempSync(join(tmpdir(), 'clk-cr-ws-')), workspaceMode: 'bind', image: baseImage(), command: ['sleep', '600'], start })
  expect((await make('live', true)).ok).toBe(true)
  expect((await make('idle', false)).ok).toBe(true)
  await new Promise((r) => setTimeout(r, 500))
  const states = async () => {
    const r = (await wire.invoke('credentials.state', {})) as { ok: true; value: CredentialState }
    return Object.fromEntries(r.value.agents.filter((a) => a.project === project).map((a) => [a.agent, a.linkState]))
  }
  // The live agent's entrypoint has linked its path; the idle one never ran.
  expect(await states()).toEqual({ idle: 'none', live: 'dangling' })
  // Files written with no event the app follows: a timed read.
  const ctx = serviceContext(testDocker(), { prefix: wired.prefix })
  const file = Buffer.from('{"claudeAiOauth":{"accessToken":"sk-ant-oat01-FAKE-cr","expiresAt":1893456000000}}')
  const names = ['live', 'idle'].map((agent) => `${wired.prefix}.${project}.${agent}-config`)
  await withVolumes(ctx, names.map((name) => ({ name })), (h) => Promise.all(names.map((_, i) => h.writeFile(i, '.credentials.json', file, { mode: 0o600, uid: 1001, gid: 1001 }))))
  // The running agent's file is read (its keeper may already have shared it: then it is linked); the idle one's is not.
  const timed = await states()
  expect(timed.idle).toBe('none')
  expect(timed.live).not.toBe('dangling')
  // Once a change is heard, everything is read.
  wired.app.hub.emit('credentials.changed', {})
  expect(['waiting-to-migrate', 'diverged']).toContain((await states()).idle)
}, 60_000)
