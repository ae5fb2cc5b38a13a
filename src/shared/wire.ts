/** The browser mode's WebSocket messages: JSON frames carrying the contract. */
import type { EventName, Result } from './contract'

export type ClientMessage = { type: 'invoke'; id: number; channel: string; request: unknown }

export type ServerMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: EventName; payload: unknown }
