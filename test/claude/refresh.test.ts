/**
 * The real Claude Code refreshing against a local TLS stand-in for its token endpoint
 * (platform.claude.com/v1/oauth/token, from the binary's strings), on an internal Docker network
 * (no way out; the names are network aliases of the stand-in's container; its CA is trusted
 * through NODE_EXTRA_CA_CERTS). Agents are made by the app's services, keeper included.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type Docker from 'dockerode'
import { serviceContext } from '../../src/main/services/context'
import { createAgent, startAgent } from '../../src/main/services/agents'
import { readCredentialState } from '../../src/main/services/credentialState'
import { ensureGlobalVolume } from '../../src/main/services/globalVolume'
import { openableUrl } from '../../src/shared/links'
import { LABEL } from '../../src/main/docker/labels'
import { agentTestImage } from '../harness/agentImage'
import { execIn } from '../harness/containers'
import { baseImage, testDocker, testPrefix, uniqueProject } from '../harness/context'
import { CLAUDE_CODE_VERSION, buildClaudeImage, putSharedLogin } from './nativeBuild'

const docker = testDocker()
const dir = mkdtempSync(join(tmpdir(), 'clawker-standin-'))
const workspace = mkdtempSync(join(tmpdir(), 'clawker-claude-ws-'))
chmodSync(workspace, 0o755)
const HOSTS = ['platform.claude.com', 'console.anthropic.com', 'api.anthropic.com', 'claude.ai']
const CERT = '/usr/local/share/clawker-test/standin.pem'
const env = ['CLAUDE_CONFIG_DIR=/home/claude/.claude', `NODE_EXTRA_CA_CERTS=${CERT}`]

const expired = (n: string) =>
  JSON.stringify({
    claudeAiOauth: {
      accessToken: `sk-ant-oat01-old-${n}`,
      refreshToken: `sk-ant-ort01-old-${n}`,
      expiresAt: 1000,
      scopes: ['user:inference', 'user:profile'],
      subscriptionType: 'max',
    },
  })

let image: string
const made: Docker.Container[] = []
const networks: Docker.Network[] = []

beforeAll(async () => {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
    '-subj', '/CN=clawker token stand-in', '-addext', `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(',')}`,
  ], { stdio: 'ignore' })
  const agentImage = await agentTestImage(docker, `${testPrefix()}r`, baseImage(), 'claudereal')
  image = await buildClaudeImage(docker, agentImage, `${testPrefix()}r-claude-standin:${CLAUDE_CODE_VERSION}`, {
    [CERT]: readFileSync(join(dir, 'cert.pem')),
    '/usr/local/share/clawker-test/standin-key.pem': readFileSync(join(dir, 'key.pem')),
    '/usr/local/share/clawker-test/standin.mjs': readFileSync(join(__dirname, 'tokenStandIn.mjs')),
  })
}, 600_000)

afterAll(async () => {
  for (const c of made) await c.remove({ force: true }).catch(() => {})
  for (const n of networks) await n.remove().catch(() => {})
})

/** The authorization code the stand-in accepts (what the sign-in page would show). */
const CODE = 'standin-code'

/** A world of its own: prefix, internal network, stand-in, global volume holding `login` (empty without one). */
async function world(mode: 'rotate' | 'invalid_grant', login?: string) {
  const prefix = `${testPrefix()}r${uniqueProject('')}`
  const ctx = serviceContext(docker, { prefix })
  const net = await docker.createNetwork({ Name: `${prefix}-net`, Internal: true, Labels: { [LABEL.managed]: 'true' } })
  networks.push(net)
  const standIn = await docker.createContainer({
    name: `${prefix}-standin`,
    Image: image,
    User: '0',
    Entrypoint: ['node'],
    Cmd: ['/usr/local/share/clawker-test/standin.mjs'],
    Env: [`KEY=/usr/local/share/clawker-test/standin-key.pem`, `CERT=${CERT}`, `MODE=${mode}`, `CODE=${CODE}`],
    Labels: { [LABEL.managed]: 'true' },
    HostConfig: { NetworkMode: `${prefix}-net` },
    NetworkingConfig: { EndpointsConfig: { [`${prefix}-net`]: { Aliases: HOSTS } } },
  })
  made.push(standIn)
  await standIn.start()
  // The shared login, written into the global volume as the keeper would leave it.
  if (login === undefined) await ensureGlobalVolume(ctx)
  else await putSharedLogin(ctx, image, login)
  const agent = async (name: string) => {
    const project = 'p'
    await createAgent(ctx, { project, agent: name, workspace, workspaceMode: 'bind', image, command: ['sleep', '300'], networkMode: `${prefix}-net`, keeperIntervalSeconds: 1 })
    await startAgent(ctx, { project, agent: name })
    const c = docker.getContainer(`${prefix}.${project}.${name}`)
    made.push(c)
    return c
  }
  const shared = async () => (await execIn(await agent(`reader${uniqueProject('')}`), ['cat', '/home/claude/.clawker-globals/.credentials.json'])).stdout
  return { ctx, agent, shared, standInLog: async () => (await standIn.logs({ stdout: true, stderr: true, follow: false })).toString('utf8') }
}

const refresh = (c: Docker.Container) => execIn(c, ['timeout', '60', 'claude', '-p', 'hi'], { env })
const until = async (what: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await what()) return true
    await new Promise((r) => setTimeout(r, 250))
  }
  return false
}
/** The screen's text as a person reads it: no escape sequences. */
const [ESC, BEL] = [String.fromCharCode(27), String.fromCharCode(7)]
const ESCAPES = new RegExp(`${ESC}\\][^${BEL}]*${BEL}|${ESC}\\[[0-9;?<>=]*[ -/]*[@-~]|${ESC}[()][A-Z0-9]|${ESC}[=>]`, 'g')
const plain = (s: string) => s.replace(ESCAPES, '')

/**
 * Claude Code's interactive TUI in a running agent, through a TTY (docker exec, Tty: true), as
 * the agent's terminal in the app runs it: keys written, the screen read back.
 */
async function tui(c: Docker.Container, extraEnv: string[]) {
  const exec = await c.exec({ Cmd: ['claude'], Tty: true, AttachStdin: true, AttachStdout: true, AttachStderr: true, Env: [...env, 'TERM=xterm-256color', ...extraEnv] })
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as NodeJS.ReadWriteStream & { destroy(): void }
  await exec.resize({ h: 40, w: 200 }).catch(() => {})
  let raw = ''
  stream.on('data', (d: Buffer) => (raw += d.toString('utf8')))
  return {
    raw: () => raw,
    /** Waits for text on the screen (spaces ignored: the TUI moves the cursor instead of printing them). */
    waitFor: async (text: string, ms = 30_000) => {
      const want = text.replace(/\s+/g, '')
      if (!(await until(async () => plain(raw).replace(/\s+/g, '').includes(want), ms)))
        throw new Error(`the TUI never showed "${text}"; its screen ended with:\n${plain(raw).slice(-1500)}`)
    },
    /** Writes keys once the screen has settled (keys sent together with the draw before them can be lost). */
    type: async (keys: string) => {
      await new Promise((r) => setTimeout(r, 500))
      stream.write(keys)
    },
    close: () => stream.destroy(),
  }
}

const linkOf = async (c: Docker.Container) => (await execIn(c, ['readlink', '/home/claude/.claude/.credentials.json'])).stdout.trim()

describe(`Claude Code ${CLAUDE_CODE_VERSION} refreshing against a stand-in token endpoint`, () => {
  it('a refresh replaces the link; the keeper shares it and restores the link; a second agent reads the new login', async () => {
    const w = await world('rotate', expired('a'))
    const a = await w.agent('a')
    await refresh(a)
    expect(await w.standInLog()).toContain('REQ POST platform.claude.com /v1/oauth/token')
    expect(await until(async () => (await linkOf(a)) === '/home/claude/.clawker-globals/.credentials.json')).toBe(true)
    const shared = await w.shared()
    expect(shared).toContain('sk-ant-oat01-standin-access-1')
    const b = await w.agent('b')
    const viaLink = await execIn(b, ['cat', '/home/claude/.claude/.credentials.json'])
    expect(viaLink.stdout).toContain('sk-ant-ort01-standin-refresh-1')
    const status = await execIn(b, ['claude', 'auth', 'status'], { env })
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true })
  })

  it('invalid_grant blanks the file; the keeper sets it aside; the shared login is untouched', async () => {
    const login = expired('g')
    const w = await world('invalid_grant', login)
    const a = await w.agent('a')
    await refresh(a)
    expect(await w.standInLog()).toContain('REQ POST platform.claude.com /v1/oauth/token')
    expect(await until(async () => (await linkOf(a)) === '/home/claude/.clawker-globals/.credentials.json')).toBe(true)
    expect(await w.shared()).toBe(login)
    // What Claude Code left (the blanked login) is kept aside in the agent's own folder.
    const aside = await execIn(a, ['sh', '-c', 'cat /home/claude/.claude/.credentials.json.rejected-*'])
    expect(aside.code).toBe(0)
    expect(aside.stdout).not.toContain('sk-ant-ort01-old-g')
  })

  it('two agents refreshing at once with rotating single-use refresh tokens end on a valid shared login', async () => {
    const w = await world('rotate', expired('c'))
    const [a, b] = await Promise.all([w.agent('a'), w.agent('b')])
    await Promise.all([refresh(a), refresh(b)])
    expect(await until(async () => (await linkOf(a)) !== '' && (await linkOf(b)) !== '')).toBe(true)
    await new Promise((r) => setTimeout(r, 3000))
    const shared = JSON.parse(await w.shared()) as { claudeAiOauth: { accessToken: string; expiresAt: number } }
    expect(shared.claudeAiOauth.accessToken).toMatch(/^sk-ant-oat01-standin-access-\d$/)
    expect(shared.claudeAiOauth.expiresAt).toBeGreaterThan(Date.now())
  })

  it('the first login in an agent (/login in the TUI, the code pasted back) is shared by the keeper: every agent linked within 5 s', async () => {
    const w = await world('rotate')
    const [a, b] = await Promise.all([w.agent('a'), w.agent('b')])
    const logged: string[] = []
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
    )
    // A new user: no login anywhere, the link dangles into the empty shared volume.
    expect(await linkOf(a)).toBe('/home/claude/.clawker-globals/.credentials.json')
    expect((await readCredentialState(w.ctx)).agents.map((x) => x.linkState)).toEqual(['dangling', 'dangling'])
    // Past the first start's onboarding (the flags Claude Code keeps in .claude.json, in the config volume).
    const seeded = await execIn(a, ['sh', '-c', `printf '%s' '{"hasCompletedOnboarding":true,"theme":"dark"}' > /home/claude/.claude/.claude.json`])
    expect(seeded.code, seeded.stderr).toBe(0)
    // The full sign-in link (CLAUDE_CODE_FULL_SIGN_IN_LINK) carries the state the sign-in page shows after the code.
    const t = await tui(a, ['CLAUDE_CODE_FULL_SIGN_IN_LINK=1'])
    try {
      // Onboarding is done (theme picked): the user trusts the folder and runs /login, picks a Claude subscription.
      await t.waitFor('trust this folder')
      await t.type('\x1b[B')
      await t.type('\r')
      await t.waitFor('Not logged in')
      await t.type('/login')
      await t.waitFor('Sign in with your Anthropic account')
      await t.type('\r')
      await t.waitFor('Select login method')
      await t.type('\r')
      await t.waitFor('Paste code here if prompted')
      // The link as the terminal gets it: an OSC 8 hyperlink (xterm makes it clickable), http(s) only.
      const link = [...t.raw().matchAll(new RegExp(`${ESC}\\]8;[^;]*;([^${BEL}]+)${BEL}`, 'g'))].map((m) => m[1]!).findLast((l) => l.includes('/oauth/authorize'))
      expect(link, 'Claude Code printed no sign-in link').toBeDefined()
      const url = new URL(openableUrl(link!)!)
      expect(url.origin + url.pathname).toBe('https://claude.com/cai/oauth/authorize')
      expect(url.searchParams.get('redirect_uri')).toBe('https://platform.claude.com/oauth/code/callback')
      // What the sign-in page shows: the code and the state, joined by #.
      await t.type(`${CODE}#${url.searchParams.get('state')}\r`)
      await t.waitFor('Login successful')
    } finally {
      t.close()
    }
    const saved = Date.now()
    const log = await w.standInLog()
    expect(log).toContain('REQ POST platform.claude.com /v1/oauth/token grant_type=authorization_code')
    expect(log).toContain('REQ GET api.anthropic.com /api/oauth/profile')
    // The keeper shares it; both agents (the one that logged in, and the other) say linked within 5 s.
    let states: string[] = []
    const linked = await until(async () => {
      states = (await readCredentialState(w.ctx)).agents.map((x) => x.linkState)
      return states.every((s) => s === 'linked')
    }, 5_000)
    expect(linked, `credential state 5 s after the save: ${states.join(', ')}`).toBe(true)
    expect(Date.now() - saved).toBeLessThan(5_000)
    expect(await linkOf(a)).toBe('/home/claude/.clawker-globals/.credentials.json')
    const shared = JSON.parse(await w.shared()) as { claudeAiOauth: { accessToken: string; refreshToken: string } }
    expect(shared.claudeAiOauth.accessToken === 'sk-ant-oat01-standin-access-1', 'the shared login is not the stand-in\'s').toBe(true)
    // What the other agent reads through its link. (Not its email: with no .claude.json of its own,
    // Claude Code asks the profile for it over the network, and on a slow run gives null; CI saw it.)
    const viaLink = await execIn(b, ['claude', 'auth', 'status'], { env })
    expect(JSON.parse(viaLink.stdout)).toMatchObject({ loggedIn: true, authMethod: 'claude.ai', subscriptionType: 'max' })
    // The refresh token is in no log line of the app, nor in the agent's own log, nor in what the window gets.
    for (const s of spies) s.mockRestore()
    const agentLog = (await a.logs({ stdout: true, stderr: true, follow: false })).toString('utf8')
    const state = JSON.stringify(await readCredentialState(w.ctx))
    const refresh = shared.claudeAiOauth.refreshToken
    expect([...logged, agentLog, state].some((l) => l.includes(refresh)), 'a refresh token was logged').toBe(false)
  })
})
