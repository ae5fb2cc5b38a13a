import { describe, expect, it } from 'vitest'
import { ownershipEntries, planAgent, type AgentPlanInput } from '../../src/main/services/agentPlan'

const input: AgentPlanInput = {
  ref: { project: 'webapp', agent: 'ralph' },
  prefix: 'clawker',
  image: 'clawker-webapp:latest',
  fromTemplate: true,
  workspace: '/home/me/src/webapp',
  workspaceMode: 'bind',
  created: new Date('2026-11-25T10:00:00Z'),
  appVersion: '1.2.3',
}

describe('an agent as a plan (the fields `docker inspect` shows)', () => {
  it('names, labels and mounts it as the clawker CLI does', () => {
    const p = planAgent(input)
    expect(p.name).toBe('clawker.webapp.ralph')
    expect(p.Image).toBe('clawker-webapp:latest')
    expect(p.Labels).toEqual({
      'com.clawker.managed': 'true',
      'com.clawker.project': 'webapp',
      'com.clawker.agent': 'ralph',
      'com.clawker.version': '1.2.3',
      'com.clawker.image': 'clawker-webapp:latest',
      'com.clawker.created': '2026-11-25T10:00:00.000Z',
      'com.clawker.workdir': '/home/me/src/webapp',
    })
    expect(p.HostConfig!.Mounts).toEqual([
      { Type: 'bind', Source: '/home/me/src/webapp', Target: '/workspace' },
      { Type: 'volume', Source: 'clawker.webapp.ralph-config', Target: '/home/claude/.claude' },
      { Type: 'volume', Source: 'clawker.webapp.ralph-history', Target: '/commandhistory' },
      { Type: 'volume', Source: 'clawker-globals', Target: '/home/claude/.clawker-globals' },
    ])
    expect(p.WorkingDir).toBe('/workspace')
    expect([p.Tty, p.OpenStdin, p.StdinOnce]).toEqual([true, true, false])
    expect(p.Entrypoint).toBeUndefined()
    expect(p.Cmd).toBeUndefined()
  })

  it('runs every agent as the agent user, unprivileged, with init, whatever the image', () => {
    for (const fromTemplate of [true, false]) {
      const p = planAgent({ ...input, fromTemplate, networkMode: 'none' })
      expect(p.User).toBe('1001:1001')
      expect(p.Env).toEqual(expect.arrayContaining(['HOME=/home/claude', 'CLAUDE_CONFIG_DIR=/home/claude/.claude', 'CLAWKER_PROJECT=webapp', 'CLAWKER_AGENT=ralph']))
      expect(p.HostConfig).toMatchObject({ Privileged: false, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], Init: true, NetworkMode: 'none' })
      expect(p.HostConfig).not.toHaveProperty('PidMode')
      expect(p.HostConfig).not.toHaveProperty('IpcMode')
    }
    expect(planAgent({ ...input, fromTemplate: false }).Entrypoint).toEqual(['/bin/sh', '/usr/local/share/clawker/entrypoint.sh'])
    expect(() => planAgent({ ...input, networkMode: 'host' })).toThrow(/never use the host network/)
  })

  it('copies the workspace into its own volume in snapshot mode, and passes a command and the keeper interval', () => {
    const p = planAgent({ ...input, workspaceMode: 'snapshot', command: ['sleep', '60'], keeperIntervalSeconds: 0 })
    expect(p.HostConfig!.Mounts![0]).toEqual({ Type: 'volume', Source: 'clawker.webapp.ralph-workspace', Target: '/workspace' })
    expect(p.Cmd).toEqual(['sleep', '60'])
    expect(p.Env).toContain('CLAWKER_KEEPER_INTERVAL=0')
  })

  it("gives another image the agent's folders, owned by 1001, and never a bind-mounted folder of the user", () => {
    const bind = ownershipEntries('bind', [{ name: 'entrypoint.sh', content: Buffer.from('#!/bin/sh') }])
    expect(bind.map((e) => [e.name, e.uid, e.mode])).toEqual([
      ['home/claude', 1001, 0o755],
      ['home/claude/.claude', 1001, 0o755],
      ['home/claude/.clawker-globals', 1001, 0o700],
      ['commandhistory', 1001, 0o755],
      ['var/run/clawker', 1001, 0o755],
      ['usr/local/share/clawker/entrypoint.sh', 0, 0o755],
    ])
    expect(ownershipEntries('snapshot', []).map((e) => e.name)).toContain('workspace')
  })
})
