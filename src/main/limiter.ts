/**
 * Runs tasks `width` at a time. A task marked `first` goes before every waiting task that is
 * not, otherwise in the order given; a freed slot passes straight to the next task waiting.
 */
export type Limiter = <R>(task: () => Promise<R>, first?: boolean) => Promise<R>

export function limiter(width: number): Limiter {
  let running = 0
  const firstQueue: Array<() => void> = []
  const queue: Array<() => void> = []
  return async (task, first = false) => {
    if (running >= width) await new Promise<void>((go) => (first ? firstQueue : queue).push(go))
    else running++
    try {
      return await task()
    } finally {
      const next = firstQueue.shift() ?? queue.shift()
      if (next) next()
      else running--
    }
  }
}
