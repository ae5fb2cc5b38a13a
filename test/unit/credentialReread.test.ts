import { describe, expect, it } from 'vitest'
import { CREDENTIAL_REREAD_MIN_MS, credentialRereadMs } from '../../src/renderer/src/credentialReread'

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
