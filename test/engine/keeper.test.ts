/**
 * The credential keeper in running agents that share one global volume: a
 * refresh (Claude Code's rename-write) in one agent reaches every agent, a
 * blanked or older login never replaces the shared one, and the keeper neither
 * runs when turned off nor keeps a container alive.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type Docker from 'dockerode'
import { LABEL } from '../../src/main/docker/labels'
import { AGENT_HOME, CREDENTIALS_FILE, GLOBAL_CREDENTIALS_PATH, MOUNT } from '../../src/main/docker/layout'
import { execIn, runContainer } from '../harness/containers'
import { testDocker, testPrefix, uniqueProject, agentImage } from '../harness/context'

const docker = testDocker()
const prefix = testPrefix()
const HOME = AGENT_HOME
const LOCAL = `${MOUNT.config}/${CREDENTIALS_FILE}`
const GLOBAL = GLOBAL_CREDENTIALS_PATH

/** How long a test waits for the keeper before it fails: far above its 1 s interval. */
const CEILING_MS = 30_000

const login = (n: number, exp: number) =>
  `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-FAKE-keeper-${n}","refreshToken":"sk-ant-ort01-FAKE-keeper-${n}","expiresAt":${exp},"scopes":["user:inference"],"subscriptionType":"max"}}`
const OLD = login(1, 1893456000000)
const NEW = login(2, 1893459600000)
const BLANKED = '{"claudeAiOauth":{"accessToken":"","refreshToken":"","expiresAt":0,"scopes":[],"subscriptionType":null}}'

const image = agentImage()
const started: Docker.Container[] = []

afterAll(async () => {
  await Promise.all(started.map((c) => c.remove({ force: true }).catch(() => {})))
})

async function volume(name: string): Promise<string> {
  await docker.createVolume({ Name: name, Labels: { [LABEL.managed]: 'true' } })
  return name
}

/** A team: one global volume, and agents that each have their own config volume. */
async function team(globalContent?: string) {
  const base = `${prefix}.${uniqueProject('keep')}`
  const globals = await volume(`${base}-globals`)
  if (globalContent !== undefined) {
    const r = await runContainer(docker, {
      image,
      user: '0',
      entrypoint: ['/bin/sh', '-c'],
      cmd: [`printf '%s' "$C" > ${GLOBAL} && chown 1001:1001 ${GLOBAL} && chmod 600 ${GLOBAL}`],
      env: [`C=${globalContent}`],
      mounts: [{ Type: 'volume', Source: globals, Target: `${HOME}/.clawker-globals` }],
    })
    expect(r.code, r.stderr).toBe(0)
  }
  const agent = async (name: string, opts: { interval?: string; cmd?: string[] } = {}) => {
    const config = await volume(`${base}.${name}-config`)
    const c = await docker.createContainer({
      name: `${base}.${name}`,
      Image: image,
      Cmd: opts.cmd ?? ['sleep', '120'],
      Env: [`CLAWKER_AGENT=${name}`, `CLAWKER_KEEPER_INTERVAL=${opts.interval ?? '1'}`],
      Labels: { [LABEL.managed]: 'true' },
      HostConfig: {
        NetworkMode: 'none',
        Mounts: [
          { Type: 'volume', Source: config, Target: `${HOME}/.claude` },
          { Type: 'volume', Source: globals, Target: `${HOME}/.clawker-globals` },
        ],
      },
    })
    started.push(c)
    await c.start()
    await waitFor(async () => (await sh(c, `test -L ${LOCAL} && echo linked`)).stdout.includes('linked'), CEILING_MS)
    return c
  }
  return { agent }
}

const sh = (c: Docker.Container, script: string, env: string[] = []) => execIn(c, ['/bin/sh', '-c', script], { user: 'claude', env })

/** What Claude Code does when it saves: a temporary file renamed over the credentials path. */
const renameWrite = (c: Docker.Container, content: string) =>
  sh(c, `printf '%s' "$C" > ${HOME}/.claude/.credentials.json.tmp.$$ && mv -f ${HOME}/.claude/.credentials.json.tmp.$$ ${LOCAL}`, [`C=${content}`])

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<number> {
  const t0 = Date.now()
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return Date.now() - t0
}

const state = async (c: Docker.Container) =>
  (await sh(c, `if [ -L ${LOCAL} ]; then echo "link $(readlink ${LOCAL})"; else echo file; fi; cat ${GLOBAL} 2>/dev/null; echo; ls -1a ${HOME}/.claude | grep -c rejected`)).stdout.split('\n')

describe('credential keeper', () => {
  // Ceilings are generous (a loaded 2-core machine is slow); how fast a refresh spreads is a benchmark figure, not a test.
  it('a refresh in one agent reaches the global file and another agent, and the link comes back', async () => {
    const t = await team(OLD)
    const [a, b] = await Promise.all([t.agent('a'), t.agent('b')])
    expect((await sh(b, `cat ${LOCAL}`)).stdout).toBe(OLD)
    const r = await renameWrite(a, NEW)
    expect(r.code, r.stderr).toBe(0)
    await waitFor(async () => (await sh(b, `cat ${LOCAL}`)).stdout === NEW, CEILING_MS)
    const [aLink, global] = await state(a)
    expect(aLink).toBe(`link ${GLOBAL}`)
    expect(global).toBe(NEW)
    expect((await sh(a, `stat -c %a ${GLOBAL}`)).stdout.trim()).toBe('600')
    const logs = ((await a.logs({ stdout: true, stderr: true })) as unknown as Buffer).toString('latin1')
    expect(logs).toMatch(/\[clawker\] keeper pushed a newer login/)
    expect(logs).not.toMatch(/FAKE/)
  })

  it('a blanked login leaves the global file untouched, is set aside, and the link is restored', async () => {
    const t = await team(NEW)
    const a = await t.agent('a')
    await renameWrite(a, BLANKED)
    await waitFor(async () => (await state(a))[0] === `link ${GLOBAL}`, CEILING_MS)
    const [, global, rejected] = await state(a)
    expect(global).toBe(NEW)
    expect(rejected).toBe('1')
    const logs = ((await a.logs({ stdout: true, stderr: true })) as unknown as Buffer).toString('latin1')
    expect(logs).toMatch(/keeper kept the global login; set aside a local one that is blanked/)
  })

  it('an older valid login does not replace a newer global one', async () => {
    const t = await team(NEW)
    const a = await t.agent('a')
    await renameWrite(a, OLD)
    await waitFor(async () => (await state(a))[0] === `link ${GLOBAL}`, CEILING_MS)
    expect((await state(a))[1]).toBe(NEW)
  })

  it('keeps at most the newest three rejected logins', async () => {
    const t = await team(NEW)
    const a = await t.agent('a')
    for (let i = 0; i < 5; i++) {
      await renameWrite(a, BLANKED.replace('"scopes":[]', `"scopes":["n${i}"]`))
      await waitFor(async () => (await state(a))[0] === `link ${GLOBAL}`, CEILING_MS)
    }
    expect((await state(a))[2]).toBe('3')
    expect((await state(a))[1]).toBe(NEW)
  }, 60_000)

  it('with the interval at 0 nothing runs', async () => {
    const t = await team(OLD)
    const a = await t.agent('a', { interval: '0' })
    await renameWrite(a, NEW)
    await new Promise((r) => setTimeout(r, 3000))
    const [local, global] = await state(a)
    expect(local).toBe('file')
    expect(global).toBe(OLD)
    expect((await sh(a, 'ps -o args | grep -c "[k]eeper.sh"')).stdout.trim()).toBe('0')
  })

  it('does not keep the container alive once its main process exits', async () => {
    const t = await team(OLD)
    // Long enough for the check below on a loaded machine; the container must still end with its main process.
    const a = await t.agent('a', { cmd: ['sleep', '8'] })
    expect((await sh(a, 'ps -o args | grep -c "[k]eeper.sh --watch"')).stdout.trim()).toBe('1')
    await waitFor(async () => !(await a.inspect()).State.Running, CEILING_MS)
    expect((await a.inspect()).State.ExitCode).toBe(0)
  })
})
