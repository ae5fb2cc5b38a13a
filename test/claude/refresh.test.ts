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
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type Docker from 'dockerode'
import { serviceContext } from '../../src/main/services/context'
import { createAgent, startAgent } from '../../src/main/services/agents'
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

/** A world of its own: prefix, internal network, stand-in, global volume holding `login`. */
async function world(mode: 'rotate' | 'invalid_grant', login: string) {
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
    Env: [`KEY=/usr/local/share/clawker-test/standin-key.pem`, `CERT=${CERT}`, `MODE=${mode}`],
    Labels: { [LABEL.managed]: 'true' },
    HostConfig: { NetworkMode: `${prefix}-net` },
    NetworkingConfig: { EndpointsConfig: { [`${prefix}-net`]: { Aliases: HOSTS } } },
  })
  made.push(standIn)
  await standIn.start()
  // The shared login, written into the global volume as the keeper would leave it.
  await putSharedLogin(ctx, image, login)
  const agent = async (name: string) => {
    const project = 'p'
    await createAgent(ctx, { project, agent: name, workspace, workspaceMode: 'bind', image, command: ['sleep', '300'], networkMode: `${prefix}-net`, keeperIntervalSeconds: 1 })
    await startAgent(ctx, { project, agent: name })
    const c = docker.getContainer(`${prefix}.${project}.${name}`)
    made.push(c)
    return c
  }
  const shared = async () => (await execIn(await agent(`reader${uniqueProject('')}`), ['cat', '/home/claude/.clawker-globals/.credentials.json'])).stdout
  return { agent, shared, standInLog: async () => (await standIn.logs({ stdout: true, stderr: true, follow: false })).toString('utf8') }
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
})
