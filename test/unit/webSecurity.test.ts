import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { hasToken, hostAllowed, newToken, originAllowed, requestToken } from '../../src/main/web/security'

const req = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage

describe('browser-mode access rules', () => {
  it('makes a fresh, long, URL-safe token each time', () => {
    const a = newToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(newToken()).not.toBe(a)
  })

  it('takes the token from the query string or its header, never from a cookie', () => {
    expect(requestToken(req('/ws?token=abc'))).toBe('abc')
    expect(requestToken(req('/session', { 'x-clawker-token': 'xyz' }))).toBe('xyz')
    expect(requestToken(req('/assets/x.js', { cookie: 'clawker_token=xyz' }))).toBeUndefined()
  })

  it('accepts only the exact token', () => {
    const t = newToken()
    expect(hasToken(req(`/?token=${t}`), t)).toBe(true)
    expect(hasToken(req('/'), t)).toBe(false)
    expect(hasToken(req(`/?token=${t.slice(1)}`), t)).toBe(false)
    expect(hasToken(req(`/?token=${t}x`), t)).toBe(false)
    expect(hasToken(req('/', { cookie: `clawker_token=${t}` }), t)).toBe(false)
  })

  it('accepts sockets from a page on a loopback name, on any port (an SSH tunnel), and from nowhere else', () => {
    for (const ok of ['http://127.0.0.1:4000', 'http://localhost:8899', 'http://[::1]:8899', 'http://LOCALHOST:1']) expect(originAllowed(ok), ok).toBe(true)
    for (const bad of ['http://evil.example', 'http://127.0.0.1.evil.example:4000', 'https://evil.example:443', 'http://10.0.0.5:4000', 'file://', 'null', 'http://user@localhost:4000', undefined]) {
      expect(originAllowed(bad), String(bad)).toBe(false)
    }
  })

  it('answers only requests that name the loopback interface (no DNS rebinding)', () => {
    for (const ok of ['127.0.0.1:4000', 'localhost:8899', '[::1]:1234', 'localhost']) expect(hostAllowed(ok), ok).toBe(true)
    for (const bad of ['evil.example:4000', 'attacker.localhost.evil:80', '127.0.0.2:4000', '', undefined]) expect(hostAllowed(bad), String(bad)).toBe(false)
  })
})
