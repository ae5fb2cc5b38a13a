/** The browser mode's access rules: a per-run token on every request and socket, and a same-origin socket. */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'clawker_token'

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

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === TOKEN_COOKIE) return v.join('=')
  }
  return undefined
}

/** The token a request carries, in its query string (first load, sockets) or its cookie (assets). */
export function requestToken(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  return url.searchParams.get('token') ?? cookieToken(req.headers.cookie)
}

export function hasToken(req: IncomingMessage, token: string): boolean {
  const given = requestToken(req)
  return given !== undefined && sameSecret(given, token)
}

/** A socket must come from the page this server served: http://127.0.0.1:<port> or http://localhost:<port>. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}
