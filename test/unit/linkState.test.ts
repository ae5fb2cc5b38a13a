/** A state shown from before (its volume left unread) is named by the shared login as it is now. */
import { describe, expect, it } from 'vitest'
import { withSharedLogin } from '../../src/main/services/credentialState'

describe('withSharedLogin', () => {
  it('names a link and an own file by whether a shared login exists now', () => {
    expect(withSharedLogin('waiting-to-migrate', true)).toBe('diverged')
    expect(withSharedLogin('diverged', false)).toBe('waiting-to-migrate')
    expect(withSharedLogin('dangling', true)).toBe('linked')
    expect(withSharedLogin('linked', false)).toBe('dangling')
    expect(withSharedLogin('linked', true)).toBe('linked')
  })

  it('leaves the states that do not depend on it', () => {
    for (const s of ['none', 'signed-out', 'other-link', 'too-large'] as const) {
      expect(withSharedLogin(s, true)).toBe(s)
      expect(withSharedLogin(s, false)).toBe(s)
    }
  })
})
