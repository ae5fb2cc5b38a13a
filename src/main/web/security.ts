/**
 * The browser mode's access rules. The page and its assets hold no secret and load
 * without one; the per-run token authenticates the WebSocket (never a cookie: cookies
 * go to every port of a host). Host and Origin must be loopback names, any port.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** The renderer's Content-Security-Policy; Electron's index.html carries the same in a meta tag. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The token a request carries: in its query string (the socket), or its X-Clawker-Token header (the session check). */
export function requestToken(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const header = req.headers['x-clawker-token']
  return url.searchParams.get('token') ?? (typeof header === 'string' ? header : undefined)
}

export function hasToken(req: IncomingMessage, token: string): boolean {
  const given = requestToken(req)
  return given !== undefined && sameSecret(given, token)
}

/** The names of this computer's loopback interface: the only hosts the server answers as. */
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** A Host header naming the loopback interface, on any port (an SSH tunnel forwards from another one): no DNS rebinding. */
export function hostAllowed(host: string | undefined): boolean {
  if (!host) return false
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.toLowerCase())
  return !!m && LOOPBACK_NAMES.has(m[1]!)
}

/** A socket must come from a page on a loopback name, any port (an SSH tunnel's); never from another site. */
export function originAllowed(origin: string | undefined): boolean {
  if (!origin) return false
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  return url.protocol === 'http:' && url.pathname === '/' && !url.username && hostAllowed(url.host)
}
