import { describe, expect, it } from 'vitest'
import { RequestedStops } from '../../src/main/core/requestedStops'
import { agentStateLabel } from '../../src/shared/agentText'
import { channels } from '../../src/shared/contract'
import { nameTooLong, normaliseName } from '../../src/shared/nameRule'
import { nameProblem } from '../../src/main/docker/names'

describe('the name rule', () => {
  it('lowercases and trims a typed name', () => {
    expect(normaliseName('  Demo.App ')).toBe('demo.app')
  })
  it('says the same about a long name in the contract and in main, whatever the length', () => {
    for (const length of [65, 100, 300]) {
      const r = channels['agents.create'].request.safeParse({ project: 'p', agent: 'a'.repeat(length), workspace: '/w', workspaceMode: 'bind' })
      expect(r.success).toBe(false)
      expect(r.error!.issues[0]!.message).toBe(nameTooLong('agent'))
      expect(nameProblem('agent', 'a'.repeat(length))).toBe(nameTooLong('agent'))
    }
    const p = channels['agents.create'].request.safeParse({ project: 'p'.repeat(300), workspace: '/w', workspaceMode: 'bind' })
    expect(p.error!.issues[0]!.message).toBe(nameTooLong('project'))
  })
})

describe('a stop the user asked for', () => {
  it('is shown as stopped, an unasked exit with its code', () => {
    expect(agentStateLabel({ state: 'exited', exitCode: 137, stoppedByUser: true })).toBe('stopped')
    expect(agentStateLabel({ state: 'exited', exitCode: 137 })).toBe('exited (code 137)')
  })
  it('is marked while it runs and after, and unmarked when it fails', async () => {
    const stops = new RequestedStops()
    await stops.around('a', async () => {
      expect(stops.has('a')).toBe(true)
    })
    expect(stops.has('a')).toBe(true)
    await expect(stops.around('b', async () => Promise.reject(new Error('no')))).rejects.toThrow('no')
    expect(stops.has('b')).toBe(false)
    stops.clear('a')
    expect(stops.has('a')).toBe(false)
  })
})
