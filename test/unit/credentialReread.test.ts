import { describe, expect, it } from 'vitest'
import { agentEventMayChangeCredentials, CREDENTIAL_REREAD_MIN_MS, credentialRereadMs } from '../../src/renderer/src/credentialReread'

describe('the credential state\'s timed re-read', () => {
  it('is every 10 s while reads are quick', () => {
    expect(credentialRereadMs(0)).toBe(CREDENTIAL_REREAD_MIN_MS)
    expect(credentialRereadMs(1_999)).toBe(CREDENTIAL_REREAD_MIN_MS)
  })

  it('keeps the engine busy at most a fifth of the time when a read takes seconds', () => {
    expect(credentialRereadMs(4_000)).toBe(20_000)
    const read = 3_300
    expect(read / (credentialRereadMs(read) + read)).toBeLessThanOrEqual(0.2)
  })
})

describe('the container events after which the credential state is read again', () => {
  it('leaves out those that change no file in a volume, so a removal right after finds its volumes free', () => {
    for (const action of ['kill', 'die', 'stop', 'pause', 'unpause', 'oom']) expect(agentEventMayChangeCredentials(action), action).toBe(false)
  })

  it('keeps those that can: a new or gone agent, a start (the entrypoint links), health, an engine back', () => {
    for (const action of ['create', 'destroy', 'start', 'restart', 'rename', 'health_status', 'engine', 'reconnect']) expect(agentEventMayChangeCredentials(action), action).toBe(true)
  })
})
