/**
 * The browser-mode transport: the built renderer and the contract over HTTP and
 * a WebSocket, on 127.0.0.1 only. Same handlers and events as Electron's IPC.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { randomUUID } from 'node:crypto'
import { dispatch, type Caller, type Handlers } from '../core/dispatch'
import type { EventHub } from '../core/eventHub'
import { CONTENT_SECURITY_POLICY, hasToken, hostAllowed, newToken, originAllowed } from './security'
import type { ClientMessage, ServerMessage } from '../../shared/wire'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

/** Big enough for any request of the contract; a larger message closes the socket. */
const MAX_MESSAGE_BYTES = 1024 * 1024

export interface WebServerOptions {
  handlers: Handlers
  hub: EventHub
  rendererDir: string
  port?: number
  token?: string
}

export interface WebServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  })
  res.end(body)
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '')
  const path = normalize(join(root, rel))
  if (!path.startsWith(root + sep)) return send(res, 404, 'Not found')
  let body: Buffer
  try {
    body = await readFile(path)
  } catch {
    return send(res, 404, 'Not found')
  }
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Frame-Options': 'DENY',
    'Cache-Control': extname(path) === '.html' ? 'no-store' : 'private, max-age=3600',
  }
  res.writeHead(200, headers)
  res.end(body)
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? newToken()
  const root = normalize(opts.rendererDir)
  let port = 0
  const server: Server = createServer((req, res) => {
    // DNS rebinding: a page of another site that resolves its name to 127.0.0.1 sends its own Host.
    if (!hostAllowed(req.headers.host)) return send(res, 403, 'Forbidden: open this address as 127.0.0.1 or localhost.')
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed')
    // The page asks here whether its token is good, to say "not authorised" rather than retry forever.
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/session') return send(res, hasToken(req, token) ? 200 : 403, hasToken(req, token) ? 'ok' : 'Not authorised')
    void serveStatic(req, res, root).catch(() => send(res, 500, 'Internal error'))
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/ws' || !hostAllowed(req.headers.host) || !hasToken(req, token) || !originAllowed(req.headers.origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, opts))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function serveSocket(ws: WebSocket, opts: WebServerOptions): void {
  const post = (m: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m))
  }
  const releases: Array<() => void> = [opts.hub.subscribe((event, payload) => post({ type: 'event', event, payload }))]
  const caller: Caller = {
    id: randomUUID(),
    emit: (event, payload) => post({ type: 'event', event, payload }),
    onClose: (release) => void releases.push(release),
  }
  let closed = false
  const release = () => {
    if (closed) return
    closed = true
    for (const r of releases.splice(0)) r()
  }
  ws.on('close', release)
  ws.on('error', release)
  ws.on('message', (data, isBinary) => {
    let msg: ClientMessage
    try {
      if (isBinary) throw new Error('binary')
      msg = JSON.parse(data.toString()) as ClientMessage
    } catch {
      post({ type: 'result', id: -1, result: { ok: false, error: { code: 'invalid-input', message: 'Not a JSON message.' } } })
      return
    }
    if (msg?.type !== 'invoke' || typeof msg.id !== 'number') {
      post({ type: 'result', id: -1, result: { ok: false, error: { code: 'invalid-input', message: 'Unknown message type.' } } })
      return
    }
    void dispatch(opts.handlers, msg.channel, msg.request, caller).then((result) => post({ type: 'result', id: msg.id, result }))
  })
}
