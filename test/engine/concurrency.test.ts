/** 50 agents created and removed at once: nothing left behind, the global volume intact, no unexpected error. */
import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { serviceContext } from '../../src/main/services/context'
import { createAgent, listAgents, removeAgent } from '../../src/main/services/agents'
import { inspectGlobalVolume } from '../../src/main/services/globalVolume'
import { testDocker, testPrefix, agentImage } from '../harness/context'

const docker = testDocker()
const prefix = `${testPrefix()}x`
const ctx = serviceContext(docker, { prefix })
const workspace = mkdtempSync(join(tmpdir(), 'clawker-many-'))
chmodSync(workspace, 0o755)
let image: string

beforeAll(async () => {
  image = agentImage()
}, 120_000)

it('creates and removes 50 agents concurrently and leaves nothing behind', async () => {
  const refs = Array.from({ length: 50 }, (_, i) => ({ project: 'many', agent: `a${i}` }))
  const created = await Promise.allSettled(
    refs.map((r) => createAgent(ctx, { ...r, workspace, workspaceMode: 'bind', image, command: ['sleep', '300'], networkMode: 'none' })),
  )
  expect(created.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([])
  expect((await listAgents(ctx)).filter((a) => a.project === 'many')).toHaveLength(50)
  // Creating again at once: every one refused as taken, none created twice.
  const again = await Promise.allSettled(refs.slice(0, 10).map((r) => createAgent(ctx, { ...r, workspace, workspaceMode: 'bind', image, networkMode: 'none' })))
  expect(again.map((r) => r.status === 'rejected' && (r.reason as { code?: string }).code)).toEqual(Array(10).fill('already-exists'))

  const removed = await Promise.allSettled(refs.map((r) => removeAgent(ctx, r, { removeVolumes: true })))
  expect(removed.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([])
  const containers = await docker.listContainers({ all: true, filters: { name: [`${prefix}.many.`] } })
  expect(containers).toEqual([])
  const { Volumes } = await docker.listVolumes()
  expect((Volumes ?? []).map((v) => v.Name).filter((n) => n.startsWith(`${prefix}.many.`))).toEqual([])
  expect(await inspectGlobalVolume(ctx)).toEqual({ name: `${prefix}-globals`, labelled: true })
}, 180_000)
