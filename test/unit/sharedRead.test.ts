import { describe, expect, it } from 'vitest'
import { sharedRead } from '../../src/main/core/sharedRead'

function counted<T>(value: () => T) {
  let runs = 0
  return { get runs() { return runs }, run: async () => (runs++, value()) }
}

describe('sharedRead', () => {
  it('gives callers with no change between them the same read, in flight or done', async () => {
    const c = counted(() => 'list')
    const r = sharedRead(c.run, 1000)
    const [a, b] = await Promise.all([r.read(), r.read()])
    expect([a, b, await r.read()]).toEqual(['list', 'list', 'list'])
    expect(c.runs).toBe(1)
  })

  it('reads anew for a caller after a change, even while the earlier read is still running', async () => {
    let n = 0
    let release!: () => void
    const slow = new Promise<void>((r) => (release = r))
    const r = sharedRead(async () => {
      const mine = ++n
      if (mine === 1) await slow
      return mine
    }, 1000)
    const first = r.read()
    r.changed()
    const second = r.read()
    release()
    expect(await first).toBe(1)
    expect(await second).toBe(2)
    expect(await r.read()).toBe(2)
  })

  it('shares no read older than its age limit', async () => {
    let clock = 0
    const c = counted(() => clock)
    const r = sharedRead(c.run, 100, () => clock)
    await r.read()
    clock = 100
    await r.read()
    expect(c.runs).toBe(1)
    clock = 101
    expect(await r.read()).toBe(101)
    expect(c.runs).toBe(2)
  })

  it('does not hand out a read that failed once it has failed', async () => {
    let fail = true
    const r = sharedRead(async () => {
      if (fail) throw new Error('engine down')
      return 'ok'
    }, 1000)
    await expect(r.read()).rejects.toThrow('engine down')
    fail = false
    expect(await r.read()).toBe('ok')
  })
})
