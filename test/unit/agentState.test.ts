import { describe, expect, it } from 'vitest'
import { AgentState } from '../../src/shared/contract'
import { processMayRun } from '../../src/shared/agentState'

describe('processMayRun', () => {
  it('is true exactly where a process may be there: running, restarting or paused', () => {
    const may = AgentState.options.filter(processMayRun)
    expect(may).toEqual(['running', 'paused', 'restarting'])
  })
})
