import { describe, expect, it } from 'vitest'
import { singleFlight } from '../../src/main/core/singleFlight'

describe('single flight', () => {
  it('runs a burst of calls as at most two runs, the last one started after every call', async () => {
    let runs = 0
    let release: (() => void) | undefined
    const read = singleFlight(async () => {
      runs++
      const n = runs
      await new Promise<void>((r) => (release = r))
      return n
    })
    const first = read()
    const burst = [read(), read(), read()]
    release!()
    expect(await first).toBe(1)
    await new Promise((r) => setTimeout(r, 0))
    release!()
    expect(await Promise.all(burst)).toEqual([2, 2, 2])
    expect(runs).toBe(2)
    const later = read()
    release!()
    expect(await later).toBe(3)
  })

  it('passes errors to the callers of that run only', async () => {
    let fail = true
    const read = singleFlight(async () => {
      if (fail) throw new Error('engine gone')
      return 'ok'
    })
    await expect(read()).rejects.toThrow('engine gone')
    fail = false
    await expect(read()).resolves.toBe('ok')
  })
})
