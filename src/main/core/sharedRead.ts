/**
 * A read that callers share while nothing it depends on has changed since it began: a
 * caller who asks a moment later gets the same answer a new read would give, as long as no
 * change was told in between (`changed()`, e.g. on the engine's events). So a page that opens
 * right after start-up, or two windows and the tray refreshing on one event, cost the engine
 * one request. A failed read is not shared once it has failed; none is older than `maxAgeMs`
 * (texts such as "Up 5 minutes" age without an event).
 */
export interface SharedRead<T> {
  read(): Promise<T>
  /** Something the read depends on changed: the next caller gets a read begun after this. */
  changed(): void
}

export function sharedRead<T>(run: () => Promise<T>, maxAgeMs: number, now: () => number = () => performance.now()): SharedRead<T> {
  let generation = 0
  let last: { generation: number; at: number; result: Promise<T> } | undefined
  return {
    read() {
      if (last && last.generation === generation && now() - last.at <= maxAgeMs) return last.result
      const entry = { generation, at: now(), result: run() }
      last = entry
      entry.result.catch(() => {
        if (last === entry) last = undefined
      })
      return entry.result
    },
    changed() {
      generation++
    },
  }
}
