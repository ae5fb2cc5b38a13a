import { describe, expect, it } from 'vitest'
import { credentialMetadata } from '../../src/main/services/credentialMetadata'
import { linkState } from '../../src/main/services/credentialState'

const SECRET_A = 'sk-ant-oat01-FAKE-SECRET-access-zzz'
const SECRET_R = 'sk-ant-ort01-FAKE-SECRET-refresh-zzz'
const file = (o: unknown) => Buffer.from(JSON.stringify(o))

describe('credential metadata', () => {
  it('reads expiry, subscription and scopes, and no token', () => {
    const m = credentialMetadata(
      file({ claudeAiOauth: { accessToken: SECRET_A, refreshToken: SECRET_R, expiresAt: 1893456000000, scopes: ['user:inference', 'user:profile'], subscriptionType: 'max' } }),
    )
    expect(m).toEqual({ expiresAt: '2030-01-01T00:00:00.000Z', subscriptionType: 'max', scopes: ['user:inference', 'user:profile'], valid: true, login: 'usable' })
    expect(JSON.stringify(m)).not.toMatch(/FAKE-SECRET/)
  })

  it('reads a pretty-printed file the same', () => {
    const pretty = Buffer.from(JSON.stringify({ claudeAiOauth: { accessToken: SECRET_A, refreshToken: SECRET_R, expiresAt: 1893456000000 } }, null, 2))
    expect(credentialMetadata(pretty)).toMatchObject({ valid: true, expiresAt: '2030-01-01T00:00:00.000Z', scopes: [], subscriptionType: null })
  })

  it('says a blanked login is not valid', () => {
    expect(credentialMetadata(file({ claudeAiOauth: { accessToken: '', refreshToken: '', expiresAt: 0 } }))).toEqual({
      expiresAt: null,
      subscriptionType: null,
      scopes: [],
      valid: false,
      login: 'blank',
    })
  })

  // Claude Code keeps MCP servers' logins in the same file: they never decide.
  const mcp = (expiresAt: number) => ({ mcpOAuth: { 'srv|1': { accessToken: SECRET_A, refreshToken: SECRET_R, expiresAt } } })
  it('reads only claudeAiOauth when an MCP login sits beside it', () => {
    const blankedThenMcp = credentialMetadata(file({ claudeAiOauth: { accessToken: '', refreshToken: '', expiresAt: 0 }, ...mcp(4102444800000) }))
    expect(blankedThenMcp).toMatchObject({ valid: false, login: 'blank', expiresAt: null })
    const mcpThenLogin = credentialMetadata(file({ ...mcp(1), claudeAiOauth: { accessToken: SECRET_A, refreshToken: SECRET_R, expiresAt: 1893456000000 } }))
    expect(mcpThenLogin).toMatchObject({ valid: true, expiresAt: '2030-01-01T00:00:00.000Z' })
    expect(credentialMetadata(file(mcp(4102444800000)))).toMatchObject({ valid: false, login: 'none' })
  })

  it.each([
    ['an empty object (signed out)', Buffer.from('{}'), 'none'],
    ['invalid JSON', Buffer.from('{"claudeAiOauth": {'), 'invalid'],
    ['an array', Buffer.from('[]'), 'invalid'],
    ['a file over 1 MiB', Buffer.alloc(1024 * 1024 + 1, 0x20), 'too-large'],
    ['tokens without an expiry', file({ claudeAiOauth: { accessToken: SECRET_A, refreshToken: SECRET_R } }), 'blank'],
  ])('names the login in %s', (_what, bytes, login) => {
    expect(credentialMetadata(bytes).login).toBe(login)
  })

  it.each([
    ['invalid JSON', Buffer.from('{"claudeAiOauth": {')],
    ['no oauth block', file({ other: 1 })],
    ['null', Buffer.from('null')],
    ['an oauth block of the wrong type', file({ claudeAiOauth: 'x' })],
    ['a missing refresh token', file({ claudeAiOauth: { accessToken: SECRET_A, expiresAt: 1 } })],
    ['tokens of the wrong type', file({ claudeAiOauth: { accessToken: 1, refreshToken: true } })],
    ['a huge file', Buffer.alloc(2 * 1024 * 1024, 0x20)],
  ])('handles %s without throwing', (_what, bytes) => {
    const m = credentialMetadata(bytes)
    expect(m.valid).toBe(false)
    expect(JSON.stringify(m)).not.toMatch(/FAKE-SECRET/)
  })

  it('keeps only string scopes and bounds their size', () => {
    const m = credentialMetadata(file({ claudeAiOauth: { scopes: ['a', 2, null, 'x'.repeat(500)], subscriptionType: 'y'.repeat(500) } }))
    expect(m.scopes).toEqual(['a', 'x'.repeat(128)])
    expect(m.subscriptionType).toHaveLength(64)
  })
})

describe('link state', () => {
  const owner = { mode: 0o777, uid: 1001, gid: 1001 }
  const link = (target: string) => ({ type: 'symlink' as const, target, ...owner })
  const regular = { type: 'file' as const, size: 1, content: Buffer.from('{}'), ...owner }
  it.each([
    [link('/home/claude/.clawker-globals/.credentials.json'), true, 'linked'],
    [link('/home/claude/.clawker-globals/.credentials.json'), false, 'dangling'],
    [link('/elsewhere'), true, 'other-link'],
    [regular, false, 'waiting-to-migrate'],
    [regular, true, 'diverged'],
    [{ type: 'missing' as const }, true, 'none'],
    [{ type: 'missing' as const }, false, 'none'],
    [link('/home/claude/.claude/.clawker-signed-out'), true, 'signed-out'],
    [{ type: 'large' as const, size: 2 << 20, ...owner }, true, 'too-large'],
  ])('%j with a global login %s is %s', (entry, globalExists, state) => {
    expect(linkState(entry, globalExists)).toBe(state)
  })
})
