import { describe, expect, it } from 'vitest'
import type { AgentSummary } from '../../src/shared/contract'
import { filterAgents, filterWords } from '../../src/renderer/src/agentFilter'

const agent = (project: string, name: string, state: AgentSummary['state'], extra: Partial<AgentSummary> = {}): AgentSummary => ({
  id: `${project}-${name}`,
  engine: 'local',
  name: `x.${project}.${name}`,
  project,
  agent: name,
  state,
  exitCode: state === 'exited' ? 137 : null,
  status: '',
  image: 'img',
  workdir: '/w',
  created: '2026-01-01T00:00:00Z',
  health: null,
  ...extra,
})

const list = [
  agent('demo', 'alpha', 'running'),
  agent('demo', 'beta', 'exited'),
  agent('web', 'alphabet', 'created'),
  agent('web', 'gamma', 'exited', { stoppedByUser: true }),
]
const names = (q: string) => filterAgents(list, q).map((a) => `${a.project}/${a.agent}`)

describe('filterAgents', () => {
  it('matches the agent name, the project and project/agent', () => {
    expect(names('alpha')).toEqual(['demo/alpha', 'web/alphabet'])
    expect(names('demo')).toEqual(['demo/alpha', 'demo/beta'])
    expect(names('demo/al')).toEqual(['demo/alpha'])
  })
  it('matches the state as the row says it, raw or in words', () => {
    expect(names('running')).toEqual(['demo/alpha'])
    expect(names('stopped')).toEqual(['web/alphabet', 'web/gamma'])
    expect(names('code 137')).toEqual(['demo/beta'])
    expect(names('exited')).toEqual(['demo/beta', 'web/gamma'])
  })
  it('needs every word, ignores case and spacing', () => {
    expect(names('  WEB   Stopped ')).toEqual(['web/alphabet', 'web/gamma'])
    expect(names('demo running')).toEqual(['demo/alpha'])
    expect(names('nothing-like-it')).toEqual([])
  })
  it('gives the same list back for a blank query', () => {
    expect(filterAgents(list, '   ')).toBe(list)
    expect(filterWords(' A  b ')).toEqual(['a', 'b'])
  })
  it('filters 1000 agents quickly', () => {
    const many = Array.from({ length: 1000 }, (_, i) => agent(`p${i % 20}`, `a${i}`, i % 3 ? 'running' : 'exited'))
    const t0 = performance.now()
    for (let i = 0; i < 20; i++) filterAgents(many, `p${i} running`)
    expect((performance.now() - t0) / 20).toBeLessThan(20)
  })
})
