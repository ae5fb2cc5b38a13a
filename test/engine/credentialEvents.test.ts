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
import { agentImage, testDocker, uniqueProject } from '../harness/context'

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
