/**
 * window.clawker in the browser mode: the same contract over the server's
 * WebSocket. The page's URL carries the token; the socket reconnects by itself.
 */
import type { ClawkerBridge, EventName, Result } from '../../shared/contract'
import type { ClientMessage, ServerMessage } from '../../shared/wire'

type Listener = (payload: never) => void

export function createWebBridge(location: Location): ClawkerBridge {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`
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
    ws.onopen = () => {
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
      setTimeout(open, retryMs)
      retryMs = Math.min(retryMs * 2, 4000)
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
    on: (event, listener) => {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as Listener)
      return () => set.delete(listener as Listener)
    },
  }
}
