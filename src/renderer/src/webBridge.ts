/**
 * window.clawker in the browser mode: the same contract over the server's
 * WebSocket. The address printed at start-up carries the token: it is kept in
 * this tab's sessionStorage (so a reload keeps working) and taken out of the
 * address bar; it is never a cookie. The socket reconnects by itself, and a
 * refused token is said in words instead of retried forever.
 */
import type { ClawkerBridge, EventName, Result } from '../../shared/contract'
import type { ClientMessage, ServerMessage } from '../../shared/wire'

type Listener = (payload: never) => void

const TOKEN_KEY = 'clawker.token'
export const NOT_AUTHORISED = 'Not authorised: open the address printed when the app started (it carries the token).'

/** The token from the address (then kept for this tab and taken out of the address bar), or the one kept before. */
function takeToken(location: Location, storage: Storage | undefined, history: History | undefined): string {
  const params = new URLSearchParams(location.search)
  const fromUrl = params.get('token')
  if (fromUrl) {
    storage?.setItem(TOKEN_KEY, fromUrl)
    params.delete('token')
    const rest = params.toString()
    history?.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`)
    return fromUrl
  }
  return storage?.getItem(TOKEN_KEY) ?? ''
}

export function createWebBridge(location: Location, storage: Storage | undefined = globalThis.sessionStorage, history: History | undefined = globalThis.history): ClawkerBridge {
  const token = takeToken(location, storage, history)
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`
  const problemListeners = new Set<(problem: string | null) => void>()
  let problem: string | null = null
  const setProblem = (p: string | null) => {
    if (p === problem) return
    problem = p
    problemListeners.forEach((l) => l(p))
  }
  const listeners = new Map<EventName, Set<Listener>>()
  const pending = new Map<number, (r: Result<unknown>) => void>()
  const outbox: string[] = []
  let nextId = 1
  let socket: WebSocket | undefined
  let retryMs = 250

  const failPending = (message: string) => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'internal', message } })
    pending.clear()
  }

  const open = () => {
    const ws = new WebSocket(url)
    socket = ws
    let opened = false
    ws.onopen = () => {
      opened = true
      setProblem(null)
      retryMs = 250
      for (const m of outbox.splice(0)) ws.send(m)
      // Anything shown may be stale after a reconnect.
      listeners.get('agents.changed')?.forEach((l) => l({ action: 'reconnect' } as never))
    }
    ws.onmessage = (e: MessageEvent<string>) => {
      const msg = JSON.parse(e.data) as ServerMessage
      if (msg.type === 'result') {
        pending.get(msg.id)?.(msg.result)
        pending.delete(msg.id)
      } else {
        listeners.get(msg.event)?.forEach((l) => l(msg.payload as never))
      }
    }
    ws.onclose = () => {
      if (socket !== ws) return
      failPending('Lost the connection to Clawker Desktop; reconnecting.')
      const retry = () => {
        setTimeout(open, retryMs)
        retryMs = Math.min(retryMs * 2, 4000)
      }
      if (opened) return retry()
      // Refused before it opened: a wrong token is said, not retried; a server that is away is retried.
      void fetch('/session', { headers: { 'X-Clawker-Token': token }, cache: 'no-store' }).then(
        (r) => (r.status === 403 ? setProblem(NOT_AUTHORISED) : (setProblem('Cannot reach Clawker Desktop; retrying.'), retry())),
        () => (setProblem('Cannot reach Clawker Desktop; retrying.'), retry()),
      )
    }
  }
  open()

  return {
    transport: 'browser',
    invoke: (channel, request) =>
      new Promise((resolve) => {
        const id = nextId++
        pending.set(id, resolve as (r: Result<unknown>) => void)
        const message: ClientMessage = { type: 'invoke', id, channel, request }
        const text = JSON.stringify(message)
        if (socket?.readyState === WebSocket.OPEN) socket.send(text)
        else outbox.push(text)
      }),
    onTransportProblem: (listener) => {
      problemListeners.add(listener)
      if (problem) listener(problem)
      return () => problemListeners.delete(listener)
    },
    on: (event, listener) => {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as Listener)
      return () => set.delete(listener as Listener)
    },
  }
}
