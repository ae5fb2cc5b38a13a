/**
 * The real Claude Code native build (CLAUDE_CODE_VERSION, 2.1.331 pinned) in agents made by
 * the app's own services, on a real engine, with no network (NetworkMode none):
 * `claude auth status` is logged in through the credential link, and `.claude.json`
 * (kept in the config volume through CLAUDE_CONFIG_DIR) survives re-creating the container.
 */
import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { serviceContext } from '../../src/main/services/context'
import { createAgent, removeAgent, startAgent } from '../../src/main/services/agents'
import { agentTestImage } from '../harness/agentImage'
import { execIn } from '../harness/containers'
import { baseImage, testDocker, testPrefix, uniqueProject } from '../harness/context'
import { CLAUDE_CODE_VERSION, buildClaudeImage, putSharedLogin } from './nativeBuild'

const docker = testDocker()
const prefix = `${testPrefix()}c`
const ctx = serviceContext(docker, { prefix })
/** Where Claude Code keeps .claude.json: the config volume (DESIGN: decisions of 2026-11-25). */
const env = ['CLAUDE_CONFIG_DIR=/home/claude/.claude']
const login = JSON.stringify({
  claudeAiOauth: {
    accessToken: 'sk-ant-oat01-test-access',
    refreshToken: 'sk-ant-ort01-test-refresh',
    expiresAt: 4102444800000,
    scopes: ['user:inference', 'user:profile'],
    subscriptionType: 'max',
  },
})

const workspace = mkdtempSync(join(tmpdir(), 'clawker-claude-ws-'))
chmodSync(workspace, 0o755)

let image: string
beforeAll(async () => {
  const agentImage = await agentTestImage(docker, prefix, baseImage(), 'claudereal')
  image = await buildClaudeImage(docker, agentImage, `${prefix}-claude:${CLAUDE_CODE_VERSION}`)
  // The shared login, written into the global volume as the keeper would leave it.
  await putSharedLogin(ctx, image, login)
}, 600_000)

async function agent(project: string) {
  await createAgent(ctx, { project, agent: 'a', workspace, workspaceMode: 'bind', image, command: ['sleep', '300'], networkMode: 'none' })
  await startAgent(ctx, { project, agent: 'a' })
  return docker.getContainer(`${prefix}.${project}.a`)
}

describe(`Claude Code ${CLAUDE_CODE_VERSION}, the real binary`, () => {
  it('runs in the agent image', async () => {
    const c = await agent(uniqueProject('ver'))
    const r = await execIn(c, ['claude', '--version'], { env })
    expect(r.stdout).toContain(`${CLAUDE_CODE_VERSION} (Claude Code)`)
  })

  it('says logged in through the credential link, offline', async () => {
    const c = await agent(uniqueProject('auth'))
    const link = await execIn(c, ['readlink', '/home/claude/.claude/.credentials.json'])
    expect(link.stdout.trim()).toBe('/home/claude/.clawker-globals/.credentials.json')
    const r = await execIn(c, ['claude', 'auth', 'status'], { env })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ loggedIn: true, authMethod: 'claude.ai', subscriptionType: 'max', configDirectory: '/home/claude/.claude' })
  })

  it('keeps .claude.json in the config volume: it survives re-creating the container', async () => {
    const project = uniqueProject('cfg')
    let c = await agent(project)
    const first = await execIn(c, ['claude', 'auth', 'status'], { env })
    expect(first.code, first.stderr).toBe(0)
    const before = await execIn(c, ['cat', '/home/claude/.claude/.claude.json'])
    expect(before.code, 'Claude Code wrote no .claude.json into CLAUDE_CONFIG_DIR').toBe(0)
    const userId = (JSON.parse(before.stdout) as { userID?: string }).userID

    await removeAgent(ctx, { project, agent: 'a' }, { removeVolumes: false })
    c = await agent(project)
    const after = await execIn(c, ['cat', '/home/claude/.claude/.claude.json'])
    expect(after.code).toBe(0)
    expect((JSON.parse(after.stdout) as { userID?: string }).userID).toBe(userId)
    const again = await execIn(c, ['claude', 'auth', 'status'], { env })
    expect(again.stderr).not.toContain('configuration file not found')
    expect(JSON.parse(again.stdout)).toMatchObject({ loggedIn: true })
  })
})
