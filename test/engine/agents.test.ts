/**
 * The Docker core against the real engine: global and agent volumes, agents
 * with exactly the designed names, labels and mounts, listing in one request,
 * bad input refused with nothing created.
 */
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type Docker from 'dockerode'
import { serviceContext, type ServiceContext } from '../../src/main/services/context'
import { ensureGlobalVolume, inspectGlobalVolume, pruneGlobalVolume } from '../../src/main/services/globalVolume'
import {
  createAgent,
  listAgents,
  listProjects,
  removeAgent,
  restartAgent,
  startAgent,
  stopAgent,
  stopProject,
} from '../../src/main/services/agents'
import { buildProjectImage, imageExists, listImages } from '../../src/main/services/images'
import { listAgentVolumes } from '../../src/main/services/volumes'
import { dockerFromHost } from '../../src/main/docker/connection'
import { execIn } from '../harness/containers'
import { baseImage, testDocker, testPrefix, uniqueProject, agentImage } from '../harness/context'

const docker = testDocker()
const clock = () => new Date('2026-11-24T10:00:00.000Z')
/** Each test file its own prefix, so the global volume of one cannot disturb another. */
const prefix = `${testPrefix()}a`
const ctx: ServiceContext = serviceContext(docker, { prefix, now: clock, appVersion: '9.9.9' })
const workspace = mkdtempSync(join(tmpdir(), 'clawker-ws-'))
// mkdtemp makes it 700 for root; the agent (uid 1001) must read the bind mount.
chmodSync(workspace, 0o755)
writeFileSync(join(workspace, 'README.md'), '# hello\n')
mkdirSync(join(workspace, 'src'))
writeFileSync(join(workspace, 'src', 'main.ts'), 'export {}\n')

let image: string
beforeAll(async () => {
  image = agentImage()
}, 120_000)

const create = (project: string, extra: Partial<Parameters<typeof createAgent>[1]> = {}) =>
  createAgent(ctx, { project, agent: 'a', workspace, workspaceMode: 'bind', image, command: ['sleep', '300'], networkMode: 'none', ...extra })

/** Counted among this file's own names, whatever other test files do meanwhile. */
async function counts() {
  const [c, v] = await Promise.all([docker.listContainers({ all: true }), docker.listVolumes()])
  const mine = (n: string) => n.replace(/^\//, '').startsWith(`${prefix}.`) || n === `${prefix}-globals`
  return { containers: c.filter((x) => x.Names.some(mine)).length, volumes: (v.Volumes ?? []).filter((x) => mine(x.Name)).length }
}

describe('global volume', () => {
  it('is created once with managed and purpose labels only, even by concurrent calls', async () => {
    const c = serviceContext(docker, { prefix: `${prefix}g1` })
    const results = await Promise.all(Array.from({ length: 10 }, () => ensureGlobalVolume(c)))
    expect(results.every((r) => r.name === `${prefix}g1-globals` && r.labelled)).toBe(true)
    const info = await docker.getVolume(`${prefix}g1-globals`).inspect()
    expect(info.Labels).toEqual({ 'com.clawker.managed': 'true', 'com.clawker.purpose': 'globals' })
    const { Volumes } = await docker.listVolumes({ filters: { name: [`${prefix}g1-globals`] } })
    expect(Volumes).toHaveLength(1)
    expect((await ensureGlobalVolume(c)).created).toBe(false)
  })

  it('uses an unlabelled volume of that name as it is and reports it', async () => {
    const c = serviceContext(docker, { prefix: `${prefix}g2` })
    await docker.createVolume({ Name: `${prefix}g2-globals` })
    expect(await ensureGlobalVolume(c)).toEqual({ name: `${prefix}g2-globals`, created: false, labelled: false })
    expect((await docker.getVolume(`${prefix}g2-globals`).inspect()).Labels ?? {}).toEqual({})
  })

  it('is removed only by a confirmed prune, and never while in use', async () => {
    const c = serviceContext(docker, { prefix: `${prefix}g3` })
    await ensureGlobalVolume(c)
    await expect(pruneGlobalVolume(c, { confirm: false })).rejects.toMatchObject({ code: 'invalid-input' })
    expect(await inspectGlobalVolume(c)).toBeDefined()
    const holder = await docker.createContainer({
      name: `${prefix}g3.holder`,
      Image: baseImage(),
      Cmd: ['true'],
      HostConfig: { Mounts: [{ Type: 'volume', Source: `${prefix}g3-globals`, Target: '/g' }] },
    })
    await expect(pruneGlobalVolume(c, { confirm: true })).rejects.toMatchObject({ code: 'in-use' })
    await holder.remove()
    await pruneGlobalVolume(c, { confirm: true })
    expect(await inspectGlobalVolume(c)).toBeUndefined()
  })
})

describe('agents', () => {
  it('creates an agent with exactly the designed names, labels, mounts and settings', async () => {
    const project = uniqueProject()
    const summary = await create(project)
    expect(summary).toMatchObject({ name: `${prefix}.${project}.a`, project, agent: 'a', state: 'running', image, workdir: workspace })
    const info = await docker.getContainer(`${prefix}.${project}.a`).inspect()
    expect(info.Name).toBe(`/${prefix}.${project}.a`)
    expect(info.Config.Labels).toEqual({
      'com.clawker.managed': 'true',
      'com.clawker.project': project,
      'com.clawker.agent': 'a',
      'com.clawker.version': '9.9.9',
      'com.clawker.image': image,
      'com.clawker.created': '2026-11-24T10:00:00.000Z',
      'com.clawker.workdir': workspace,
    })
    expect(info.Config.Env).toEqual(expect.arrayContaining([`CLAWKER_PROJECT=${project}`, 'CLAWKER_AGENT=a']))
    expect(info.Config.Tty).toBe(true)
    expect(info.Config.OpenStdin).toBe(true)
    expect(info.Config.StdinOnce).toBe(false)
    const mounts = Object.fromEntries(info.Mounts.map((m) => [m.Destination, { type: m.Type, name: m.Name ?? m.Source }]))
    expect(mounts).toEqual({
      '/workspace': { type: 'bind', name: workspace },
      '/home/claude/.claude': { type: 'volume', name: `${prefix}.${project}.a-config` },
      '/commandhistory': { type: 'volume', name: `${prefix}.${project}.a-history` },
      '/home/claude/.clawker-globals': { type: 'volume', name: `${prefix}-globals` },
    })
    const config = await docker.getVolume(`${prefix}.${project}.a-config`).inspect()
    expect(config.Labels).toEqual({ 'com.clawker.managed': 'true', 'com.clawker.project': project, 'com.clawker.agent': 'a', 'com.clawker.purpose': 'config' })
    // The entrypoint ran: the credentials link is in place and the agent is ready.
    const c = docker.getContainer(summary.id)
    const r = await execIn(c, ['/bin/sh', '-c', 'readlink /home/claude/.claude/.credentials.json; cat /var/run/clawker/ready; id -u; ls /workspace'])
    expect(r.stdout).toMatch(/^\/home\/claude\/\.clawker-globals\/\.credentials\.json\n\d{4}-.*Z\n1001\nREADME.md\nsrc\n$/)
  })

  it('snapshot mode copies the folder into the agent workspace volume, owned by claude', async () => {
    const project = uniqueProject()
    const s = await create(project, { workspaceMode: 'snapshot' })
    const info = await docker.getContainer(s.id).inspect()
    expect(info.Mounts.find((m) => m.Destination === '/workspace')).toMatchObject({ Type: 'volume', Name: `${prefix}.${project}.a-workspace` })
    const r = await execIn(docker.getContainer(s.id), ['/bin/sh', '-c', 'cat /workspace/src/main.ts; stat -c %u /workspace/README.md; touch /workspace/new && echo writable'])
    expect(r.stdout).toBe('export {}\n1001\nwritable\n')
  })

  it('puts the entrypoint into a container made from any other image', async () => {
    const project = uniqueProject()
    const s = await create(project, { image: baseImage(), command: ['sleep', '300'] })
    const r = await execIn(docker.getContainer(s.id), ['/bin/sh', '-c', 'ls /usr/local/share/clawker; cat /var/run/clawker/ready >/dev/null && echo ready'])
    expect(r.stdout).toBe('entrypoint.sh\nkeeper.sh\nready\n')
  })

  it('gives a Docker-style random name when none is given', async () => {
    const s = await create(uniqueProject(), { agent: '  ' })
    expect(s.agent).toMatch(/^[a-z]+_[a-z]+$/)
  })

  it('lists every agent with one request, with state and exit code', async () => {
    const project = uniqueProject()
    await create(project, { agent: 'runs' })
    await create(project, { agent: 'fails', command: ['sh', '-c', 'exit 3'] })
    await create(project, { agent: 'idle', start: false })
    const fails = docker.getContainer(`${prefix}.${project}.fails`)
    await fails.wait()
    let calls = 0
    const counting = dockerFromHost(`unix://${(docker.modem as unknown as { socketPath: string }).socketPath}`)
    const original = counting.listContainers.bind(counting)
    counting.listContainers = ((o: object) => (calls++, original(o))) as typeof counting.listContainers
    const all = await listAgents({ ...ctx, docker: counting })
    expect(calls).toBe(1)
    const mine = Object.fromEntries(all.filter((a) => a.project === project).map((a) => [a.agent, [a.state, a.exitCode]]))
    expect(mine).toEqual({ fails: ['exited', 3], idle: ['created', null], runs: ['running', null] })
    // Nothing of another prefix leaks in.
    expect(all.every((a) => a.name.startsWith(`${prefix}.`))).toBe(true)
    const projects = await listProjects(ctx)
    expect(projects.find((p) => p.project === project)).toEqual({ project, agents: 3, running: 1 })
  })

  it('starts, stops with a timeout, restarts, and stops a whole project', async () => {
    const project = uniqueProject()
    await create(project, { agent: 'x', start: false })
    await create(project, { agent: 'y' })
    const state = async (agent: string) => (await docker.getContainer(`${prefix}.${project}.${agent}`).inspect()).State
    await startAgent(ctx, { project, agent: 'x' })
    await startAgent(ctx, { project, agent: 'x' }) // already running: fine
    expect((await state('x')).Running).toBe(true)
    await stopAgent(ctx, { project, agent: 'x' }, 1)
    expect((await state('x')).Running).toBe(false)
    await restartAgent(ctx, { project, agent: 'x' })
    expect((await state('x')).Running).toBe(true)
    expect(await stopProject(ctx, project, 1)).toBe(2)
    expect((await state('y')).Running).toBe(false)
  })

  it('removes an agent, keeping its volumes unless asked, and never the global volume', async () => {
    const project = uniqueProject()
    await create(project, { agent: 'keep' })
    await create(project, { agent: 'drop', workspaceMode: 'snapshot' })
    await removeAgent(ctx, { project, agent: 'keep' }, { removeVolumes: false })
    expect(await listAgentVolumes(ctx, { project, agent: 'keep' })).toHaveLength(2)
    await removeAgent(ctx, { project, agent: 'drop' }, { removeVolumes: true })
    expect(await listAgentVolumes(ctx, { project, agent: 'drop' })).toEqual([])
    await expect(docker.getContainer(`${prefix}.${project}.drop`).inspect()).rejects.toMatchObject({ statusCode: 404 })
    expect(await inspectGlobalVolume(ctx)).toMatchObject({ name: `${prefix}-globals`, labelled: true })
    await expect(removeAgent(ctx, { project, agent: 'drop' }, { removeVolumes: true })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('keeps volumes another container uses, and says which', async () => {
    const project = uniqueProject()
    await create(project, { agent: 'held' })
    const holder = await docker.createContainer({
      name: `${prefix}.${project}.holder`,
      Image: baseImage(),
      Cmd: ['true'],
      HostConfig: { Mounts: [{ Type: 'volume', Source: `${prefix}.${project}.held-history`, Target: '/h' }] },
    })
    try {
      await expect(removeAgent(ctx, { project, agent: 'held' }, { removeVolumes: true })).rejects.toMatchObject({
        code: 'in-use',
        message: expect.stringContaining(`${prefix}.${project}.held-history`),
      })
      expect(await listAgentVolumes(ctx, { project, agent: 'held' })).toEqual([`${prefix}.${project}.held-history`])
    } finally {
      await holder.remove()
    }
  }, 30_000)

  it.each([
    ['an invalid project name', { project: 'bad name' }, 'invalid-name', 'project'],
    ['an invalid agent name', { agent: '-x' }, 'invalid-name', 'agent'],
    ['a missing workspace folder', { workspace: '/nonexistent/folder' }, 'workspace-missing', 'workspace'],
    ['a workspace that is a file', { workspace: join(workspace, 'README.md') }, 'workspace-missing', 'workspace'],
    ['a missing image', { image: 'clawker-nothing-here:latest' }, 'image-missing', 'image'],
  ])('refuses %s with a typed error and creates nothing', async (_what, extra, code, field) => {
    const before = await counts()
    await expect(create(uniqueProject(), extra)).rejects.toMatchObject({ code, field })
    expect(await counts()).toEqual(before)
  })

  it('names the project image and offers the build when it is missing', async () => {
    const project = uniqueProject()
    await expect(create(project, { image: undefined })).rejects.toThrow(`The project image ${prefix}-${project}:latest is not built yet. Build it`)
  })

  it('refuses a name already taken, and creates nothing more', async () => {
    const project = uniqueProject()
    await create(project)
    const before = await counts()
    await expect(create(project)).rejects.toMatchObject({ code: 'already-exists', field: 'agent' })
    expect(await counts()).toEqual(before)
  })

  it('says the engine is unavailable when it does not answer', async () => {
    const down = serviceContext(dockerFromHost('unix:///nonexistent/docker.sock'), { prefix })
    await expect(listAgents(down)).rejects.toMatchObject({ code: 'engine-unavailable' })
    await expect(create(uniqueProject(), {}).then(() => createAgent(down, { project: 'p', workspace, workspaceMode: 'bind', image }))).rejects.toMatchObject({ code: 'engine-unavailable' })
  })
})

describe('images', () => {
  it('builds the project image from the template with the designed labels, streaming progress', async () => {
    const lines: string[] = []
    const project = uniqueProject('img')
    const { image: built } = await buildProjectImage(
      ctx,
      { project, baseImage: baseImage(), installClaudeCode: false, extraPackages: [], networkMode: 'none' },
      (l) => lines.push(l),
    )
    expect(built).toBe(`${prefix}-${project}:latest`)
    expect(lines.some((l) => /Step \d+\/\d+ : FROM/.test(l))).toBe(true)
    const info = await docker.getImage(built).inspect()
    expect(info.Config.Labels).toEqual({
      'com.clawker.managed': 'true',
      'com.clawker.project': project,
      'com.clawker.version': '9.9.9',
      'com.clawker.created': '2026-11-24T10:00:00.000Z',
    })
    expect(info.Config.User).toBe('claude')
    expect(info.Config.Entrypoint).toEqual(['/usr/local/share/clawker/entrypoint.sh'])
    expect(info.Config.Healthcheck?.Test?.join(' ')).toContain('/var/run/clawker/ready')
    expect(await imageExists(ctx, built)).toBe(true)
    const listed = (await listImages(ctx)).find((i) => i.tags.includes(built))
    expect(listed).toMatchObject({ managed: true, project })
  })

  it('fails clearly when the base image is missing and cannot be pulled', async () => {
    await expect(
      buildProjectImage(ctx, { project: uniqueProject('img'), baseImage: 'clawker-no-such-base:1', installClaudeCode: false, extraPackages: [], networkMode: 'none' }),
    ).rejects.toMatchObject({ code: 'image-missing' })
  })

  it('reports a failing build step with Docker own message', async () => {
    await expect(
      buildProjectImage(ctx, { project: uniqueProject('img'), baseImage: baseImage(), installClaudeCode: false, extraPackages: ['curl'], networkMode: 'none' }),
    ).rejects.toThrow(/no apt-get or apk in the base image|returned a non-zero code/)
  })
})

export type { Docker }
