import { describe, expect, it } from 'vitest'
import { MAX_CHUNK_CHARS, outputCoalescer, type OutputStream } from '../../src/main/services/outputCoalescer'

const nextTurn = () => new Promise((r) => setImmediate(r))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function recorder() {
  const out: Array<{ stream: OutputStream; data: string; at: number }> = []
  return { out, sink: (data: string, stream: OutputStream) => out.push({ stream, data, at: performance.now() }) }
}

describe('outputCoalescer', () => {
  it('hands on output after a quiet moment at the next turn (a keystroke echo waits for no window)', async () => {
    const { out, sink } = recorder()
    const c = outputCoalescer(sink, 1000)
    c.push('tty', 'a')
    expect(out).toEqual([])
    await nextTurn()
    expect(out.map((o) => o.data)).toEqual(['a'])
  })

  it('joins a flood that comes in chunks of a few kB into one message per window, in order', async () => {
    // As the engine hands on a TTY's output: a few kB at a time, each in its own event-loop turn.
    const { out, sink } = recorder()
    const windowMs = 20
    const c = outputCoalescer(sink, windowMs)
    const chunks: string[] = []
    const t0 = performance.now()
    for (let i = 0; performance.now() - t0 < 200; i++) {
      const chunk = `${i}:${'x'.repeat(2000)}\n`
      chunks.push(chunk)
      c.push('tty', chunk)
      await sleep(1)
    }
    await sleep(windowMs * 2)
    expect(chunks.length).toBeGreaterThan(50)
    expect(out.map((o) => o.data).join('')).toBe(chunks.join(''))
    // 200 ms of output: the first chunk at once, then one message per window (timers may run late, never early).
    expect(out.length).toBeLessThanOrEqual(200 / windowMs + 3)
    for (let i = 1; i < out.length; i++) expect(out[i]!.at - out[i - 1]!.at).toBeGreaterThanOrEqual(windowMs - 2)
  })

  it('keeps streams apart and in order', async () => {
    const { out, sink } = recorder()
    const c = outputCoalescer(sink, 10)
    c.push('stdout', 'a')
    c.push('stdout', 'b')
    c.push('stderr', 'c')
    c.push('stdout', 'd')
    await nextTurn()
    expect(out.map(({ stream, data }) => [stream, data])).toEqual([
      ['stdout', 'ab'],
      ['stderr', 'c'],
      ['stdout', 'd'],
    ])
  })

  it('never joins more than MAX_CHUNK_CHARS into one message', async () => {
    const { out, sink } = recorder()
    const c = outputCoalescer(sink, 10)
    const piece = 'y'.repeat(MAX_CHUNK_CHARS / 4 + 1)
    for (let i = 0; i < 8; i++) c.push('tty', piece)
    await nextTurn()
    expect(out.length).toBeGreaterThan(2)
    expect(out.every((o) => o.data.length <= MAX_CHUNK_CHARS)).toBe(true)
    expect(out.map((o) => o.data).join('')).toBe(piece.repeat(8))
  })

  it('flush hands on what is buffered at once; cancel drops it and nothing comes later', async () => {
    const { out, sink } = recorder()
    const c = outputCoalescer(sink, 50)
    c.push('tty', 'first')
    await nextTurn()
    c.push('tty', 'second')
    c.flush()
    expect(out.map((o) => o.data)).toEqual(['first', 'second'])
    c.push('tty', 'dropped')
    c.cancel()
    await sleep(80)
    expect(out.map((o) => o.data)).toEqual(['first', 'second'])
    c.push('tty', '')
    await sleep(60)
    expect(out).toHaveLength(2)
  })
})
