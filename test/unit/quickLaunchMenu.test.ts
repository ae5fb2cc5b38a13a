import { describe, expect, it } from 'vitest'
import { buildQuickLaunchMenu, MAX_MENU_PROJECTS } from '../../src/main/core/quickLaunchMenu'
import { agentStateLabel } from '../../src/shared/agentText'
import type { AgentSummary, EngineStatus } from '../../src/shared/contract'

const connected: EngineStatus = { state: 'connected', source: 'Docker', host: 'unix:///x', version: '1', apiVersion: '1.41', os: 'linux', arch: 'amd64' }

function agent(project: string, name: string, state: AgentSummary['state'], exitCode: number | null = null): AgentSummary {
  return {
    id: `${project}-${name}`,
    engine: 'local',
    name: `clawker.${project}.${name}`,
    project,
    agent: name,
    state,
    exitCode,
    status: '',
    image: 'clawker-x:latest',
    workdir: '/w',
    created: '2026-01-01T00:00:00Z',
    health: null,
  }
}

const recent = (name: string) => ({ name, workspace: `/w/${name}`, lastUsed: '2026-01-01T00:00:00Z' })

describe('quick-launch menu', () => {
  it('groups by engine, then project: this computer first, a project of the same name on a remote engine apart', () => {
    const far = { ...agent('web', 'far', 'running'), engine: 'buildbox' }
    const menu = buildQuickLaunchMenu({ agents: [far, agent('web', 'near', 'created'), { ...agent('api', 'x', 'exited', 0), engine: 'buildbox' }], recentProjects: [], engine: connected })
    expect(menu.projects.map((p) => [p.engine, p.project, p.label])).toEqual([
      ['local', 'web', 'web'],
      ['buildbox', 'api', 'api on buildbox'],
      ['buildbox', 'web', 'web on buildbox'],
    ])
    expect(menu.projects[2]!.agents).toEqual([expect.objectContaining({ engine: 'buildbox', agent: 'far', action: 'focus' })])
  })

  it('lists recent projects first, then the others, each with its agents and a New agent item', () => {
    const menu = buildQuickLaunchMenu({
      agents: [agent('zeta', 'b', 'running'), agent('alpha', 'x', 'exited', 1), agent('zeta', 'a', 'created')],
      recentProjects: [recent('zeta'), recent('empty')],
      engine: connected,
    })
    expect(menu.projects.map((p) => p.project)).toEqual(['zeta', 'empty', 'alpha'])
    expect(menu.projects[0]!.agents.map((a) => [a.label, a.action])).toEqual([
      ['a — stopped', 'start-and-open'],
      ['b — running', 'focus'],
    ])
    expect(menu.projects[1]).toMatchObject({ agents: [], newAgentLabel: 'New agent in empty…' })
    expect(menu.projects[2]!.agents[0]!.label).toBe('x — exited (code 1)')
  })

  it('counts running agents in the tooltip', () => {
    const one = buildQuickLaunchMenu({ agents: [agent('p', 'a', 'running'), agent('p', 'b', 'exited', 0)], recentProjects: [], engine: connected })
    expect(one.tooltip).toBe('Clawker: 1 agent running')
    expect(one.running).toBe(1)
    const two = buildQuickLaunchMenu({ agents: [agent('p', 'a', 'running'), agent('q', 'b', 'running')], recentProjects: [], engine: connected })
    expect(two.tooltip).toBe('Clawker: 2 agents running')
    expect(buildQuickLaunchMenu({ agents: [], recentProjects: [], engine: connected }).tooltip).toBe('Clawker: no agents running')
    expect(
      buildQuickLaunchMenu({ agents: [], recentProjects: [], engine: { state: 'unavailable', tried: [], hint: '' } }).tooltip,
    ).toBe('Clawker: Docker is not running')
  })

  it('names agents without a project, and keeps the menu short', () => {
    const agents = Array.from({ length: 20 }, (_, i) => agent(`p${String(i).padStart(2, '0')}`, 'a', 'running'))
    agents.push(agent('', 'solo', 'created'))
    const menu = buildQuickLaunchMenu({ agents, recentProjects: [], engine: connected })
    expect(menu.projects).toHaveLength(MAX_MENU_PROJECTS)
    expect(menu.projects[0]).toMatchObject({ project: '', label: '(no project)', newAgentLabel: 'New agent in (no project)…' })
  })

  it.each([
    ['running', null, 'running'],
    ['created', null, 'stopped'],
    ['exited', 137, 'exited (code 137)'],
    ['restarting', null, 'restarting'],
  ] as const)('labels %s as %s', (state, code, label) => {
    expect(agentStateLabel({ state, exitCode: code })).toBe(label)
  })
})
