/** The renderer's only door to the main process: window.clawker, typed by the contract. */
import type { Channel, ClawkerBridge, EventName, EventOf, RequestOf, ResponseOf } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { createWebBridge } from './webBridge'

declare global {
  interface Window {
    clawker?: ClawkerBridge
  }
}

export const bridge: ClawkerBridge = window.clawker ?? createWebBridge(window.location)

/** Invokes a channel; a typed error becomes a thrown ClawkerError the UI can show by its field. */
export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await bridge.invoke(channel, request)
  if (!result.ok) throw ClawkerError.fromPayload(result.error)
  return result.value
}

export function onEvent<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
  return bridge.on(event, listener)
}
