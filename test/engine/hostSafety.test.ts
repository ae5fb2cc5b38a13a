/**
 * Whoever holds the window is not root on the host (issue: blast radius of the
 * renderer), against the real engine: every agent runs as the agent user without
 * privileges whatever its image, workspaces pass a policy on their real path,
 * a request never follows a redirect off the engine's socket, and a snapshot that
 * cannot be made fails clearly and leaves nothing behind.
 */
import { appendFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type Docker from 'dockerode'
import { createAgent } from '../../src/main/services/agents'
import { serviceContext } from '../../src/main/services/context'
import { execIn } from '../harness/containers'
import { agentImage, baseImage, testDocker, testPrefix, uniqueProject } from '../harness/context'

const docker = testDocker()
const prefix = testPrefix()
const ctx = serviceContext(docker, { prefix })

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clk-safe-'))
  writeFileSync(join(dir, 'README'), 'hello')
  return dir
}

async function volumesOf(project: string): Promise<string[]> {
  const { Volumes } = await docker.listVolumes()
  return (Volumes ?? []).map((v) => v.Name).filter((n) => n.startsWith(`${prefix}.${project}.`))
}

async function waitForLog(c: Docker.Container, re: RegExp, ms = 15_000): Promise<string> {
  const t0 = Date.now()
  for (;;) {
    const logs = ((await c.logs({ stdout: true, stderr: true })) as unknown as Buffer).toString('latin1')
    if (re.test(logs)) return logs
    if (Date.now() - t0 > ms) throw new Error(`no ${re} in the logs within ${ms} ms:\n${logs}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('every agent runs unprivileged, whatever its image', () => {
  it.each([
    ['the template image', () => agentImage()],
    ['another image (busybox, no user claude)', () => baseImage()],
  ])('%s: uid 1001, HOME, CLAUDE_CONFIG_DIR, no capabilities, no new privileges, init, no host namespaces', async (_what, image) => {
    const project = uniqueProject('priv')
    await createAgent(ctx, { project, agent: 'a', workspace: folder(), workspaceMode: 'bind', image: image(), command: ['sleep', '60'], networkMode: 'none', keeperIntervalSeconds: 0 })
    const c = docker.getContainer(`${prefix}.${project}.a`)
    const info = await c.inspect()
    expect(info.Config.User).toBe('1001:1001')
    expect(info.Config.Env).toEqual(expect.arrayContaining(['HOME=/home/claude', 'CLAUDE_CONFIG_DIR=/home/claude/.claude']))
    expect(info.HostConfig).toMatchObject({ Privileged: false, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], Init: true, NetworkMode: 'none' })
    expect(info.HostConfig.PidMode ?? '').toBe('')
    expect(['', 'private']).toContain(info.HostConfig.IpcMode ?? '')
    // The shared login is found at /home/claude/.clawker-globals even where the image had no such user.
    await waitForLog(c, /\[clawker\] ready/)
    const id = await execIn(c, ['/bin/sh', '-c', 'id -u; id -g; readlink /home/claude/.claude/.credentials.json; touch /home/claude/.claude/w && echo writable'])
    expect(id.stdout.split('\n').slice(0, 4)).toEqual(['1001', '1001', '/home/claude/.clawker-globals/.credentials.json', 'writable'])
    const root = await execIn(c, ['/bin/sh', '-c', 'cat /etc/shadow 2>&1; echo x > /etc/x 2>&1; echo done'])
    expect(root.stdout).not.toMatch(/^root:/m)
    expect(root.stdout).toMatch(/Permission denied|can't create|Read-only|No such file/)
  })
})

describe('workspace policy, on the real path', () => {
  const refused = async (workspace: string, why: RegExp) => {
    const project = uniqueProject('ws')
    await expect(createAgent(ctx, { project, agent: 'a', workspace, workspaceMode: 'bind', image: agentImage(), networkMode: 'none' })).rejects.toMatchObject({
      field: 'workspace',
      message: expect.stringMatching(why),
    })
    expect(await docker.listContainers({ all: true, filters: { name: [`${prefix}.${project}.`] } })).toEqual([])
  }

  it('refuses /, system folders, anything under /etc and /run, the home folder itself, and a link to one of them', async () => {
    await refused('/', /whole computer/)
    await refused('/run', /folder of the system/)
    await refused('/etc/ssl', /in \/etc/)
    await refused('/usr', /folder of the system/)
    await refused(homedir(), /whole home folder/)
    const sneaky = join(folder(), 'innocent')
    symlinkSync('/etc', sneaky)
    await refused(sneaky, /in \/etc/)
  })

  it('refuses the folder that holds the engine socket and its parents', async () => {
    const socket = (docker.modem as unknown as { socketPath: string }).socketPath
    const { dirname } = await import('node:path')
    const { realpathSync } = await import('node:fs')
    await refused(dirname(realpathSync(socket)), /socket|system/)
  })

  it('takes a project folder below those', async () => {
    const project = uniqueProject('ok')
    const dir = join(folder(), 'src', 'app')
    mkdirSync(dir, { recursive: true })
    const a = await createAgent(ctx, { project, agent: 'a', workspace: dir, workspaceMode: 'bind', image: agentImage(), command: ['true'], networkMode: 'none', start: false })
    expect(a.workdir).toBe(dir)
  })
})

describe('requests stay on the engine', () => {
  it.each(['ubuntu/', './img', '../../etc/passwd', '../../127.0.0.1:9/x'])('a redirect for %j is an error, never followed', async (ref) => {
    await expect(docker.getImage(ref).inspect()).rejects.toThrow()
    expect(String(await docker.ping())).toBe('OK')
  })
})

describe('snapshots', () => {
  it('over the limit: a clear error at the field, and no container or volume left', async () => {
    const project = uniqueProject('big')
    const dir = folder()
    writeFileSync(join(dir, 'blob'), Buffer.alloc(64 * 1024))
    await expect(
      createAgent(ctx, { project, agent: 'a', workspace: dir, workspaceMode: 'snapshot', image: agentImage(), networkMode: 'none', snapshotMaxBytes: 32 * 1024 }),
    ).rejects.toMatchObject({ field: 'workspace', message: expect.stringMatching(/larger than the snapshot limit/) })
    expect(await docker.listContainers({ all: true, filters: { name: [`${prefix}.${project}.`] } })).toEqual([])
    expect(await volumesOf(project)).toEqual([])
  })

  it('a file growing while it is copied does not take the process down', async () => {
    const project = uniqueProject('grow')
    const dir = folder()
    const file = join(dir, 'log')
    writeFileSync(file, Buffer.alloc(8 * 1024 * 1024))
    const writer = setInterval(() => appendFileSync(file, Buffer.alloc(256 * 1024)), 1)
    try {
      const a = await createAgent(ctx, { project, agent: 'a', workspace: dir, workspaceMode: 'snapshot', image: agentImage(), command: ['true'], networkMode: 'none', start: false })
      expect(a.state).toBe('created')
    } finally {
      clearInterval(writer)
    }
  })
})
