/**
 * The shared login is never lost nor handed the wrong way (issue: shared-login
 * safety), in real containers on the agent image: only claudeAiOauth decides
 * (MCP logins in the same file are carried along, never read), the shared file
 * is backed up before every replacement and replaced by rename, size and shape
 * limits, and a logout inside one agent sticks.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type Docker from 'dockerode'
import { LABEL } from '../../src/main/docker/labels'
import { AGENT_HOME, CREDENTIALS_FILE, ENTRYPOINT, GLOBAL_CREDENTIALS_PATH, MOUNT } from '../../src/main/docker/layout'
import { execIn, fileStates, runContainer, type RunResult } from '../harness/containers'
import { testDocker, testPrefix, uniqueProject, agentImage } from '../harness/context'

const docker = testDocker()
const prefix = testPrefix()
const HOME = AGENT_HOME
const LOCAL = `${MOUNT.config}/${CREDENTIALS_FILE}`
const GLOBAL = GLOBAL_CREDENTIALS_PATH
const BAK = /\/\.clawker-globals\/\.credentials\.json\.bak-\d{8}T\d{6}Z(-\d+)?$/

/** Claude Code's own login and, after it, an MCP server's login with its own expiry (obviously fake). */
const creds = (claude: { n: number; exp: number; blank?: boolean }, mcpExp: number) =>
  JSON.stringify({
    claudeAiOauth: claude.blank
      ? { accessToken: '', refreshToken: '', expiresAt: 0, scopes: [], subscriptionType: null }
      : { accessToken: `sk-ant-oat01-FAKE-safety-${claude.n}`, refreshToken: `sk-ant-ort01-FAKE-safety-${claude.n}`, expiresAt: claude.exp, scopes: ['user:inference'], subscriptionType: 'max' },
    mcpOAuth: { 'srv|1': { serverName: 'srv', accessToken: 'FAKE-mcp-access', refreshToken: 'FAKE-mcp-refresh', expiresAt: mcpExp } },
  })
const T0 = 1893456000000
const OLD = creds({ n: 1, exp: T0 }, T0 - 1000)
const NEW = creds({ n: 2, exp: T0 + 3600_000 }, T0 - 1000)
/** Seen: a blanked Claude login followed by an MCP login that expires later was pushed as "newer". */
const BLANK_THEN_LATER_MCP = creds({ n: 3, exp: 0, blank: true }, T0 + 99 * 3600_000)
/** Seen: a really newer Claude login followed by an older MCP login was set aside as "older". */
const NEWER_THEN_OLDER_MCP = creds({ n: 4, exp: T0 + 7200_000 }, T0 - 99 * 3600_000)

const image = agentImage()
const started: Docker.Container[] = []

afterAll(async () => {
  await Promise.all(started.map((c) => c.remove({ force: true }).catch(() => {})))
})

interface Agent {
  base: string
  mounts(): Docker.MountSettings[]
}

async function newAgent(label: string): Promise<Agent> {
  const base = `${prefix}.${uniqueProject(label)}`
  const labels = { [LABEL.managed]: 'true' }
  await Promise.all([docker.createVolume({ Name: `${base}.a-config`, Labels: labels }), docker.createVolume({ Name: `${base}-globals`, Labels: labels })])
  return {
    base,
    mounts: () => [
      { Type: 'volume', Source: `${base}.a-config`, Target: `${HOME}/.claude` },
      { Type: 'volume', Source: `${base}-globals`, Target: `${HOME}/.clawker-globals` },
    ],
  }
}

/** Runs a setup script as root on the agent's volumes (files it makes are claude's unless it says otherwise). */
async function setup(agent: Agent, script: string, env: string[] = []): Promise<void> {
  const r = await runContainer(docker, { image, entrypoint: ['/bin/sh', '-c'], cmd: [`set -e; ${script}`], user: '0', mounts: agent.mounts(), env })
  expect(r.code, r.stderr).toBe(0)
}

const put = (path: string, mode = '600') => `printf '%s' "$C_${path === LOCAL ? 'LOCAL' : 'GLOBAL'}" > ${path} && chown 1001:1001 ${path} && chmod ${mode} ${path}`

async function seed(agent: Agent, files: { local?: string; global?: string; globalMode?: string }): Promise<void> {
  const steps = [files.local !== undefined ? put(LOCAL) : 'true', files.global !== undefined ? put(GLOBAL, files.globalMode) : 'true']
  await setup(agent, steps.join(' && '), [`C_LOCAL=${files.local ?? ''}`, `C_GLOBAL=${files.global ?? ''}`])
}

async function runEntrypoint(shell: string, agent: Agent, env: string[] = []): Promise<RunResult & { ms: number }> {
  const t0 = Date.now()
  const r = await runContainer(docker, {
    image,
    entrypoint: [shell, ENTRYPOINT],
    cmd: ['/bin/sh', '-c', 'echo handed-over'],
    mounts: agent.mounts(),
    env: ['CLAWKER_AGENT=tester', 'CLAWKER_KEEPER_INTERVAL=0', ...env],
  })
  return { ...r, ms: Date.now() - t0 }
}

const files = (agent: Agent) =>
  fileStates(docker, image, agent.mounts(), [`${HOME}/.claude/.credentials.json*`, `${HOME}/.clawker-globals/.credentials.json*`, `${HOME}/.claude/secret`])
const backups = (f: Record<string, { value: string; mode: string; type: string }>) =>
  Object.entries(f)
    .filter(([k]) => BAK.test(k))
    .map(([, v]) => v)

describe.each(['/bin/sh', '/bin/bash', '/bin/dash'])('entrypoint under %s', (shell) => {
  it('a blanked Claude login before a later MCP login is not pushed over the shared one', async () => {
    const agent = await newAgent('mcpa')
    await seed(agent, { local: BLANK_THEN_LATER_MCP, global: NEW })
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    const f = await files(agent)
    expect(f[GLOBAL]!.value).toBe(NEW)
    expect(backups(f)).toEqual([])
    expect(f[LOCAL]).toMatchObject({ type: 'symbolic link', value: GLOBAL })
    // The agent's own file is kept, not lost.
    expect(Object.values(f).some((v) => v.value === BLANK_THEN_LATER_MCP)).toBe(true)
  })

  it('a newer Claude login before an older MCP login is shared, whole, and the old shared file kept as a backup (600)', async () => {
    const agent = await newAgent('mcpb')
    await seed(agent, { local: NEWER_THEN_OLDER_MCP, global: OLD })
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    const f = await files(agent)
    expect(f[GLOBAL]).toMatchObject({ type: 'regular file', mode: '600', value: NEWER_THEN_OLDER_MCP })
    expect(backups(f)).toEqual([{ type: 'regular file', mode: '600', owner: '1001:1001', value: OLD }])
    expect(f[LOCAL]).toMatchObject({ type: 'symbolic link', value: GLOBAL })
    expect(r.stderr).not.toMatch(/FAKE/)
  })

  it('a shared file left 644 is 600 once an agent has started', async () => {
    const agent = await newAgent('mode')
    await seed(agent, { global: OLD, globalMode: '644' })
    expect((await runEntrypoint(shell, agent)).code).toBe(0)
    expect((await files(agent))[GLOBAL]).toMatchObject({ mode: '600', value: OLD })
  })

  it('a directory named .credentials.json in ~/.claude: an error line, no link inside it', async () => {
    const agent = await newAgent('ldir')
    await seed(agent, { global: OLD })
    await setup(agent, `mkdir -m 755 ${LOCAL} && chown 1001:1001 ${LOCAL}`)
    const r = await runEntrypoint(shell, agent)
    expect(r.stderr).toMatch(/^\[clawker\] error component=credentials msg=.*not a file or a link/m)
    expect(r.stderr).not.toMatch(/\] linked/)
    expect(r.code).not.toBe(0)
    const inside = await runContainer(docker, { image, entrypoint: ['/bin/sh', '-c'], cmd: [`ls -A ${LOCAL} | wc -l`], user: '0', mounts: agent.mounts() })
    expect(inside.stdout.trim()).toBe('0')
  })

  it('a directory named .credentials.json in the global volume: an error line, not linked, not chmod-ed', async () => {
    const agent = await newAgent('gdir')
    await setup(agent, `mkdir -m 755 ${GLOBAL} && chown 1001:1001 ${GLOBAL}`)
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^\[clawker\] error component=credentials msg=.*is a directory/m)
    expect(r.stderr).not.toMatch(/\] linked/)
    const f = await files(agent)
    expect(f[GLOBAL]).toMatchObject({ type: 'directory', mode: '755' })
    expect(f[LOCAL]).toBeUndefined()
  })

  it('a link planted as the shared file: reported, left, and chmod does not follow it', async () => {
    const agent = await newAgent('plant')
    await setup(agent, `echo secret > ${HOME}/.claude/secret && chmod 644 ${HOME}/.claude/secret && ln -s ${HOME}/.claude/secret ${GLOBAL}`)
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^\[clawker\] error component=credentials msg=.*is a symbolic link/m)
    const f = await files(agent)
    expect(f[`${HOME}/.claude/secret`]).toMatchObject({ mode: '644' })
    expect(f[GLOBAL]).toMatchObject({ type: 'symbolic link', value: `${HOME}/.claude/secret` })
    expect(f[LOCAL]).toBeUndefined()
  })

  it('a local file over 1 MiB is left alone, quickly, and the shared file is untouched', async () => {
    const agent = await newAgent('big')
    await seed(agent, { global: OLD })
    // 3 MiB of valid JSON whose Claude login would be "newer": it must not be read at all.
    await setup(agent, `{ printf '{"claudeAiOauth":{"accessToken":"a","refreshToken":"r","expiresAt":9999999999999},"pad":"'; head -c 3145728 /dev/zero | tr '\\0' x; printf '"}'; } > ${LOCAL} && chown 1001:1001 ${LOCAL}`)
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/over 1 MiB; not read, left as it is/)
    expect(r.ms).toBeLessThan(15_000)
    const f = await fileStates(docker, image, agent.mounts(), [`${HOME}/.clawker-globals/.credentials.json*`])
    expect(f[GLOBAL]!.value).toBe(OLD)
    expect(backups(f)).toEqual([])
    const local = await runContainer(docker, { image, entrypoint: ['/bin/sh', '-c'], cmd: [`stat -c '%F %s' ${LOCAL}`], user: '0', mounts: agent.mounts() })
    expect(local.stdout.trim()).toMatch(/^regular file 31458\d\d$/)
  })

  it('keeps at most five backups of the shared file, the newest', async () => {
    const agent = await newAgent('five')
    await seed(agent, { global: OLD })
    await setup(agent, `for i in 1 2 3 4 5 6; do printf old$i > ${GLOBAL}.bak-2026010$i"T000000Z"; done; chown 1001:1001 ${GLOBAL}.bak-*`)
    await seed(agent, { local: NEW })
    expect((await runEntrypoint(shell, agent)).code).toBe(0)
    const kept = backups(await files(agent)).map((b) => b.value)
    expect(kept).toHaveLength(5)
    expect(kept).toEqual(expect.arrayContaining([OLD, 'old6', 'old5', 'old4', 'old3']))
  })

  it('an agent signed out inside stays signed out', async () => {
    const agent = await newAgent('out')
    await seed(agent, { global: OLD })
    await setup(agent, `ln -s ${HOME}/.claude/.clawker-signed-out ${LOCAL} && chown -h 1001:1001 ${LOCAL}`)
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/signed out in this agent/)
    expect((await files(agent))[LOCAL]).toMatchObject({ type: 'symbolic link', value: `${HOME}/.claude/.clawker-signed-out` })
  })
})

describe('entrypoint and .claude.json', () => {
  const run = (agent: Agent, layer: string) =>
    runContainer(docker, {
      image,
      // A ~/.claude.json in the container's own layer, as the clawker CLI's agents have it.
      entrypoint: ['/bin/sh', '-c', `printf '%s' '${layer}' > ${HOME}/.claude.json && exec ${ENTRYPOINT} "$@"`, 'entry'],
      cmd: ['/bin/sh', '-c', `cat ${HOME}/.claude/.claude.json`],
      mounts: agent.mounts(),
      env: ['CLAWKER_KEEPER_INTERVAL=0', `CLAUDE_CONFIG_DIR=${HOME}/.claude`],
    })

  it('is copied into the config volume once and never overwritten', async () => {
    const agent = await newAgent('cj')
    const first = await run(agent, '{"onboarded":1}')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toBe('{"onboarded":1}')
    const second = await run(agent, '{"onboarded":2}')
    expect(second.stdout).toBe('{"onboarded":1}')
  })
})

describe('keeper', () => {
  const sh = (c: Docker.Container, script: string, env: string[] = []) => execIn(c, ['/bin/sh', '-c', script], { user: 'claude', env })
  const renameWrite = (c: Docker.Container, content: string) =>
    sh(c, `printf '%s' "$C" > ${HOME}/.claude/.credentials.json.tmp.$$ && mv -f ${HOME}/.claude/.credentials.json.tmp.$$ ${LOCAL}`, [`C=${content}`])
  const settled = (c: Docker.Container) => sh(c, `readlink ${LOCAL}`).then((r) => r.stdout.trim() === GLOBAL)
  const logs = async (c: Docker.Container) => ((await c.logs({ stdout: true, stderr: true })) as unknown as Buffer).toString('latin1')

  async function waitFor(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const t0 = Date.now()
    while (!(await check())) {
      if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  async function runningAgent(label: string, global: string): Promise<{ c: Docker.Container; agent: Agent }> {
    const agent = await newAgent(label)
    await seed(agent, { global })
    const c = await docker.createContainer({
      name: `${agent.base}.a`,
      Image: image,
      Cmd: ['sleep', '300'],
      Env: ['CLAWKER_AGENT=a', 'CLAWKER_KEEPER_INTERVAL=1'],
      Labels: { [LABEL.managed]: 'true' },
      HostConfig: { NetworkMode: 'none', Mounts: agent.mounts() },
    })
    started.push(c)
    await c.start()
    await waitFor(() => settled(c))
    return { c, agent }
  }

  it('does not push a blanked Claude login that sits before a later MCP login', async () => {
    const { c, agent } = await runningAgent('kmcpa', NEW)
    await renameWrite(c, BLANK_THEN_LATER_MCP)
    await waitFor(() => settled(c))
    const f = await files(agent)
    expect(f[GLOBAL]!.value).toBe(NEW)
    expect(backups(f)).toEqual([])
    expect(await logs(c)).toMatch(/set aside a local one that is blanked/)
  })

  it('pushes a newer Claude login that sits before an older MCP login, by rename, the old one kept as a backup', async () => {
    const { c, agent } = await runningAgent('kmcpb', OLD)
    const inode = async () => (await sh(c, `stat -c %i ${GLOBAL}`)).stdout.trim()
    const before = await inode()
    await renameWrite(c, NEWER_THEN_OLDER_MCP)
    await waitFor(async () => (await sh(c, `cat ${GLOBAL}`)).stdout === NEWER_THEN_OLDER_MCP)
    await waitFor(() => settled(c))
    // A new inode: the shared file was replaced by a rename, never written in place.
    expect(await inode()).not.toBe(before)
    const f = await files(agent)
    expect(f[GLOBAL]).toMatchObject({ mode: '600', value: NEWER_THEN_OLDER_MCP })
    expect(backups(f)).toEqual([{ type: 'regular file', mode: '600', owner: '1001:1001', value: OLD }])
    expect(await logs(c)).not.toMatch(/FAKE/)
  })

  it('a logout inside the agent sticks: not relinked, the shared login untouched', async () => {
    const { c, agent } = await runningAgent('klogout', OLD)
    // Claude Code's `auth logout` deletes its credentials file (here: the link).
    await sh(c, `rm ${LOCAL}`)
    await waitFor(async () => (await sh(c, `readlink ${LOCAL}`)).stdout.trim() === `${HOME}/.claude/.clawker-signed-out`)
    await new Promise((r) => setTimeout(r, 2500))
    const f = await files(agent)
    expect(f[LOCAL]).toMatchObject({ type: 'symbolic link', value: `${HOME}/.claude/.clawker-signed-out` })
    expect(f[GLOBAL]!.value).toBe(OLD)
    expect((await logs(c)).match(/signed out in this agent/g)).toHaveLength(1)
    // A new login there is shared as usual.
    await renameWrite(c, NEW)
    await waitFor(() => settled(c))
    expect((await files(agent))[GLOBAL]!.value).toBe(NEW)
  })

  it('leaves a local file over 1 MiB alone and says so once', async () => {
    const { c, agent } = await runningAgent('kbig', OLD)
    await sh(c, `{ printf '{"claudeAiOauth":{"accessToken":"a","refreshToken":"r","expiresAt":9999999999999},"pad":"'; head -c 2097152 /dev/zero | tr '\\0' x; printf '"}'; } > ${LOCAL}.tmp.1 && mv -f ${LOCAL}.tmp.1 ${LOCAL}`)
    await waitFor(async () => /not a readable file under 1 MiB/.test(await logs(c)))
    await new Promise((r) => setTimeout(r, 2500))
    expect((await logs(c)).match(/not a readable file under 1 MiB/g)).toHaveLength(1)
    const f = await fileStates(docker, image, agent.mounts(), [`${HOME}/.clawker-globals/.credentials.json*`])
    expect(f[GLOBAL]!.value).toBe(OLD)
    expect(backups(f)).toEqual([])
  })
})
