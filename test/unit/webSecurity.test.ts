import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { hasToken, newToken, originAllowed, requestToken } from '../../src/main/web/security'

const req = (url: string, cookie?: string) => ({ url, headers: cookie ? { cookie } : {} }) as IncomingMessage

describe('browser-mode access rules', () => {
  it('makes a fresh, long, URL-safe token each time', () => {
    const a = newToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(newToken()).not.toBe(a)
  })

  it('takes the token from the query string or the cookie', () => {
    expect(requestToken(req('/?token=abc'))).toBe('abc')
    expect(requestToken(req('/assets/x.js', 'theme=dark; clawker_token=xyz'))).toBe('xyz')
    expect(requestToken(req('/assets/x.js', 'other=1'))).toBeUndefined()
  })

  it('accepts only the exact token', () => {
    const t = newToken()
    expect(hasToken(req(`/?token=${t}`), t)).toBe(true)
    expect(hasToken(req('/'), t)).toBe(false)
    expect(hasToken(req(`/?token=${t.slice(1)}`), t)).toBe(false)
    expect(hasToken(req(`/?token=${t}x`), t)).toBe(false)
    expect(hasToken(req('/', `clawker_token=${t}`), t)).toBe(true)
  })

  it('accepts sockets only from the page it served', () => {
    expect(originAllowed('http://127.0.0.1:4000', 4000)).toBe(true)
    expect(originAllowed('http://localhost:4000', 4000)).toBe(true)
    expect(originAllowed('http://127.0.0.1:4001', 4000)).toBe(false)
    expect(originAllowed('http://evil.example', 4000)).toBe(false)
    expect(originAllowed('null', 4000)).toBe(false)
    expect(originAllowed(undefined, 4000)).toBe(false)
  })
})
