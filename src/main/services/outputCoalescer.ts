/**
 * Joins a terminal's output into few messages. The engine hands a TTY's output on
 * in chunks of a few kB, one per event-loop turn, so a flood of 10 MB would be
 * thousands of messages, each costing the page a message event, a parse and a
 * write. Output after a quiet moment (a keystroke's echo) goes out at the next
 * turn; while output keeps coming, it goes out at most once per window of about
 * a frame: xterm draws once per frame anyway, and each draw costs the page too.
 */
export type OutputStream = 'tty' | 'stdout' | 'stderr'

/** Large enough to carry a burst in few messages, small enough to keep the UI responsive. */
export const MAX_CHUNK_CHARS = 256 * 1024
/** At most one message per this many ms while output keeps coming (a frame at 60 Hz). */
export const BURST_WINDOW_MS = 16

export interface OutputCoalescer {
  push(stream: OutputStream, data: string): void
  /** Hands on what is buffered now (before the session's end is reported). */
  flush(): void
  /** Drops what is buffered (the session was closed by its owner). */
  cancel(): void
}

export function outputCoalescer(output: (data: string, stream: OutputStream) => void, windowMs = BURST_WINDOW_MS): OutputCoalescer {
  const pending: Array<[OutputStream, string]> = []
  let timer: { cancel(): void } | undefined
  let lastFlush = -Infinity
  const flush = () => {
    timer?.cancel()
    timer = undefined
    if (!pending.length) return
    lastFlush = performance.now()
    for (const [stream, data] of pending.splice(0)) output(data, stream)
  }
  const schedule = () => {
    const wait = lastFlush + windowMs - performance.now()
    if (wait > 0) {
      const t = setTimeout(flush, wait)
      timer = { cancel: () => clearTimeout(t) }
    } else {
      const i = setImmediate(flush)
      timer = { cancel: () => clearImmediate(i) }
    }
  }
  return {
    push(stream, data) {
      if (!data) return
      const last = pending[pending.length - 1]
      if (last && last[0] === stream && last[1].length + data.length <= MAX_CHUNK_CHARS) last[1] += data
      else pending.push([stream, data])
      if (!timer) schedule()
    },
    flush,
    cancel() {
      timer?.cancel()
      timer = undefined
      pending.length = 0
    },
  }
}
