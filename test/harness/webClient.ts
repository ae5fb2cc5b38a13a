/** A client of the browser-mode socket, speaking the wire protocol as the page does. */
import WebSocket from 'ws'
import type { Result } from '../../src/shared/contract'
import type { ServerMessage } from '../../src/shared/wire'

export interface WireClient {
  invoke(channel: unknown, request: unknown): Promise<Result<unknown>>
  /** Sends a raw frame (for malformed-message tests) and waits for the answer with id -1. */
  raw(frame: string | Buffer): Promise<Result<unknown>>
  events: Array<{ event: string; payload: unknown }>
  /** Called for every event as it arrives. */
  onEvent(listener: (event: string, payload: unknown) => void): () => void
  frames: string[]
  close(): void
}

export async function connectWire(port: number, token: string): Promise<WireClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `http://127.0.0.1:${port}` })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let nextId = 1
  const waiting = new Map<number, (r: Result<unknown>) => void>()
  const events: WireClient['events'] = []
  const frames: string[] = []
  const listeners = new Set<(event: string, payload: unknown) => void>()
  ws.on('message', (data) => {
    const text = data.toString()
    frames.push(text)
    const m = JSON.parse(text) as ServerMessage
    if (m.type === 'result') {
      waiting.get(m.id)?.(m.result)
      waiting.delete(m.id)
    } else {
      events.push({ event: m.event, payload: m.payload })
      listeners.forEach((l) => l(m.event, m.payload))
    }
  })
  const answer = (id: number) => new Promise<Result<unknown>>((resolve) => waiting.set(id, resolve))
  return {
    invoke(channel, request) {
      const id = nextId++
      const p = answer(id)
      ws.send(JSON.stringify({ type: 'invoke', id, channel, request }))
      return p
    },
    raw(frame) {
      const p = answer(-1)
      ws.send(frame)
      return p
    },
    events,
    onEvent: (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    frames,
    close: () => ws.close(),
  }
}
