/**
 * Runs at most one call at a time: callers during a run share the next one, so
 * a burst of requests costs two runs at most, and every caller gets a result
 * read after it asked. For reads that are expensive for the engine.
 */
export function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | undefined
  let next: Promise<T> | undefined
  const start = (): Promise<T> => {
    const p = run().finally(() => {
      if (current === p) current = undefined
    })
    current = p
    return p
  }
  return () => {
    if (!current) return start()
    if (!next) {
      next = current.then(
        () => undefined,
        () => undefined,
      ).then(() => {
        next = undefined
        return start()
      })
    }
    return next
  }
}
