import { describe, expect, it } from 'vitest'
import { limiter } from '../../src/main/limiter'

const tick = () => new Promise((r) => setImmediate(r))

describe('limiter', () => {
  it('runs at most `width` tasks at once, the others in the order given', async () => {
    const slot = limiter(2)
    let running = 0
    let most = 0
    const order: number[] = []
    const gates: Array<() => void> = []
    const tasks = Array.from({ length: 5 }, (_, i) =>
      slot(async () => {
        running++
        most = Math.max(most, running)
        order.push(i)
        await new Promise<void>((go) => gates.push(go))
        running--
        return i
      }),
    )
    for (let i = 0; i < 5; i++) {
      await tick()
      gates.shift()?.()
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4])
    expect(most).toBe(2)
    expect(order).toEqual([0, 1, 2, 3, 4])
  })

  it('lets a task marked first go before those already waiting', async () => {
    const slot = limiter(1)
    const order: string[] = []
    let release!: () => void
    const busy = slot(() => new Promise<void>((go) => (release = go)))
    const later = [slot(async () => void order.push('a')), slot(async () => void order.push('b')), slot(async () => void order.push('first'), true)]
    await tick()
    release()
    await Promise.all([busy, ...later])
    expect(order).toEqual(['first', 'a', 'b'])
  })

  it('frees the slot when a task fails', async () => {
    const slot = limiter(1)
    await expect(slot(() => Promise.reject(new Error('no')))).rejects.toThrow('no')
    expect(await slot(async () => 'yes')).toBe('yes')
  })
})
