/** Fans main-process events out to every connected renderer (Electron windows, browser sockets). */
import type { EventName, EventOf } from '../../shared/contract'

export type EventSink = <E extends EventName>(event: E, payload: EventOf<E>) => void

export class EventHub {
  private readonly sinks = new Set<EventSink>()

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink)
    return () => this.sinks.delete(sink)
  }

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    for (const sink of this.sinks) {
      try {
        sink(event, payload)
      } catch {
        // One broken renderer must not stop the others from hearing the event.
      }
    }
  }

  get size(): number {
    return this.sinks.size
  }
}
