/**
 * The entrypoint in real containers, under busybox sh, bash and dash, on an
 * image built from resources/Dockerfile: every credential branch, asserted on
 * the real files (type, link target, mode, owner, content).
 */
import { describe, expect, it } from 'vitest'
import type Docker from 'dockerode'
import { LABEL } from '../../src/main/docker/labels'
import { AGENT_HOME, CREDENTIALS_FILE, ENTRYPOINT, GLOBAL_CREDENTIALS_PATH, MOUNT } from '../../src/main/docker/layout'
import { fileStates, runContainer, type RunResult } from '../harness/containers'
import { testDocker, testPrefix, uniqueProject, agentImage } from '../harness/context'

const docker = testDocker()
const prefix = testPrefix()
const HOME = AGENT_HOME
const LOCAL = `${MOUNT.config}/${CREDENTIALS_FILE}`
const GLOBAL = GLOBAL_CREDENTIALS_PATH

/** Obviously fake logins; `exp` orders them. */
const login = (n: number, exp: number) =>
  `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-FAKE-test-access-${n}","refreshToken":"sk-ant-ort01-FAKE-test-refresh-${n}","expiresAt":${exp},"scopes":["user:inference"],"subscriptionType":"max"}}`
const OLD = login(1, 1893456000000)
const NEW = login(2, 1893459600000)

const image = agentImage()

interface Agent {
  config: string
  globals: string
  mounts(opts?: { globalsReadOnly?: boolean; configReadOnly?: boolean; noGlobals?: boolean }): Docker.MountSettings[]
}

async function newAgent(): Promise<Agent> {
  const base = `${prefix}.${uniqueProject('ep')}.a`
  const config = `${base}-config`
  const globals = `${base}-globals`
  await Promise.all([
    docker.createVolume({ Name: config, Labels: { [LABEL.managed]: 'true' } }),
    docker.createVolume({ Name: globals, Labels: { [LABEL.managed]: 'true' } }),
  ])
  return {
    config,
    globals,
    mounts: (o = {}) => [
      { Type: 'volume', Source: config, Target: `${HOME}/.claude`, ReadOnly: !!o.configReadOnly },
      ...(o.noGlobals ? [] : [{ Type: 'volume' as const, Source: globals, Target: `${HOME}/.clawker-globals`, ReadOnly: !!o.globalsReadOnly }]),
    ],
  }
}

/** Writes files as they would be: owned by claude, with the given mode (via a root container on the agent image). */
async function seed(agent: Agent, files: { local?: string; global?: string; localMode?: string }): Promise<void> {
  const script = [
    files.local !== undefined ? `printf '%s' "$LOCAL_CONTENT" > ${LOCAL} && chown 1001:1001 ${LOCAL} && chmod ${files.localMode ?? '644'} ${LOCAL}` : 'true',
    files.global !== undefined ? `printf '%s' "$GLOBAL_CONTENT" > ${GLOBAL} && chown 1001:1001 ${GLOBAL} && chmod 600 ${GLOBAL}` : 'true',
  ].join(' && ')
  const r = await runContainer(docker, {
    image,
    entrypoint: ['/bin/sh', '-c'],
    cmd: [script],
    user: '0',
    mounts: agent.mounts(),
    env: [`LOCAL_CONTENT=${files.local ?? ''}`, `GLOBAL_CONTENT=${files.global ?? ''}`],
  })
  expect(r.code, r.stderr).toBe(0)
}

const files = (agent: Agent) =>
  fileStates(docker, image, agent.mounts(), [`${HOME}/.claude/.credentials.json*`, `${HOME}/.clawker-globals/.credentials.json*`, `${HOME}/.clawker-globals`])

async function runEntrypoint(shell: string, agent: Agent, mountOpts = {}): Promise<RunResult> {
  return runContainer(docker, {
    image,
    entrypoint: [shell, ENTRYPOINT],
    cmd: ['/bin/sh', '-c', 'echo handed-over "$@"', 'x', 'arg'],
    mounts: agent.mounts(mountOpts),
    env: ['CLAWKER_AGENT=tester', 'CLAWKER_KEEPER_INTERVAL=0'],
  })
}

describe.each(['/bin/sh', '/bin/bash', '/bin/dash'])('entrypoint under %s', (shell) => {
  it('a fresh agent: a dangling link to the shared file, the global folder 700, ready, handed over', async () => {
    const agent = await newAgent()
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('handed-over arg\n')
    expect(r.stderr).toMatch(/\[clawker\] ready ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ agent=tester/)
    const f = await files(agent)
    expect(f[LOCAL]).toMatchObject({ type: 'symbolic link', value: GLOBAL, owner: '1001:1001' })
    expect(f[GLOBAL]).toBeUndefined()
    expect(f[`${HOME}/.clawker-globals`]).toMatchObject({ type: 'directory', mode: '700', owner: '1001:1001' })
  })

  it('local credentials only: migrated byte for byte, 600, and linked', async () => {
    const agent = await newAgent()
    const pretty = `{\n  "claudeAiOauth": {\n    "accessToken": "sk-ant-oat01-FAKE-pretty",\n    "refreshToken": "sk-ant-ort01-FAKE-pretty",\n    "expiresAt": 1893456000000\n  },\n  "extra": "kept"\n}\n`
    await seed(agent, { local: pretty })
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('migrated')
    const f = await files(agent)
    expect(f[GLOBAL]).toEqual({ type: 'regular file', mode: '600', owner: '1001:1001', value: pretty })
    expect(f[LOCAL]).toMatchObject({ type: 'symbolic link', value: GLOBAL })
    expect(Object.keys(f).filter((k) => k.includes('.bak-'))).toEqual([])
    expect(r.stderr).not.toMatch(/FAKE/)
  })

  it('both present and equal: linked, no backup', async () => {
    const agent = await newAgent()
    await seed(agent, { local: OLD, global: OLD })
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    const f = await files(agent)
    expect(f[LOCAL]).toMatchObject({ type: 'symbolic link', value: GLOBAL })
    expect(f[GLOBAL]).toMatchObject({ type: 'regular file', mode: '600', value: OLD })
    expect(Object.keys(f).filter((k) => k.includes('.bak-'))).toEqual([])
  })

  it('both present and different, the local one older: backup kept, the shared login untouched, linked', async () => {
    const agent = await newAgent()
    await seed(agent, { local: OLD, global: NEW })
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    const f = await files(agent)
    const backups = Object.entries(f).filter(([k]) => /\.credentials\.json\.bak-\d{8}T\d{6}Z$/.test(k))
    expect(backups).toHaveLength(1)
    expect(backups[0]![1]).toMatchObject({ type: 'regular file', mode: '600', owner: '1001:1001', value: OLD })
    expect(f[GLOBAL]!.value).toBe(NEW)
    expect(f[LOCAL]).toMatchObject({ type: 'symbolic link', value: GLOBAL })
  })

  it('both present and different, the local one newer: backup kept and the newer login shared', async () => {
    const agent = await newAgent()
    await seed(agent, { local: NEW, global: OLD })
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    const f = await files(agent)
    expect(Object.values(f).filter((v) => v.value === NEW && v.type === 'regular file')).toHaveLength(2)
    expect(f[GLOBAL]).toMatchObject({ mode: '600', value: NEW })
    expect(f[LOCAL]).toMatchObject({ type: 'symbolic link', value: GLOBAL })
  })

  it('already linked: a second start changes nothing', async () => {
    const agent = await newAgent()
    await seed(agent, { local: OLD })
    expect((await runEntrypoint(shell, agent)).code).toBe(0)
    const first = await files(agent)
    const r = await runEntrypoint(shell, agent)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).not.toMatch(/migrated|linked|kept/)
    expect(await files(agent)).toEqual(first)
  })

  it('global volume read-only: a warning, the local copy kept, no link, exit 0', async () => {
    const agent = await newAgent()
    await seed(agent, { local: OLD })
    const r = await runEntrypoint(shell, agent, { globalsReadOnly: true })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/\[clawker\] warning component=credentials/)
    expect(r.stdout).toBe('handed-over arg\n')
    const f = await files(agent)
    expect(f[LOCAL]).toEqual({ type: 'regular file', mode: '644', owner: '1001:1001', value: OLD })
    expect(f[GLOBAL]).toBeUndefined()
  })

  it('link impossible: the credentials error line and a non-zero exit', async () => {
    const agent = await newAgent()
    const r = await runEntrypoint(shell, agent, { configReadOnly: true })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/^\[clawker\] error component=credentials msg=could not link/m)
    expect(r.stdout).not.toContain('handed-over')
  })

  it('no global volume mounted: credentials untouched, still ready', async () => {
    const agent = await newAgent()
    await seed(agent, { local: OLD })
    const r = await runEntrypoint(shell, agent, { noGlobals: true })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/global volume not mounted/)
    expect(r.stderr).toMatch(/ready ts=/)
    const f = await fileStates(docker, image, agent.mounts({ noGlobals: true }), [`${HOME}/.claude/.credentials.json*`])
    expect(f).toEqual({ [LOCAL]: { type: 'regular file', mode: '644', owner: '1001:1001', value: OLD } })
  })
})

describe('entrypoint hand-over', () => {
  it.each([
    [[], 'claude'],
    [['--version'], 'claude --version'],
    [['no-such-command', 'x'], 'claude no-such-command x'],
    [['echo', 'hi'], 'hi'],
  ])('runs %j as %s', async (cmd, expected) => {
    // A stand-in claude on PATH shows what would have run.
    const r = await runContainer(docker, {
      image,
      entrypoint: ['/bin/sh', '-c', `mkdir -p /tmp/bin && printf '#!/bin/sh\\necho claude "$@"\\n' > /tmp/bin/claude && chmod 755 /tmp/bin/claude && PATH=/tmp/bin:$PATH exec ${ENTRYPOINT} "$@"`, 'entry'],
      cmd,
      env: ['CLAWKER_KEEPER_INTERVAL=0'],
    })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.trim()).toBe(expected)
  })
})
