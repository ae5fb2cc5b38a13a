import { describe, expect, it } from 'vitest'
import { RecentRemovals, REMOVAL_GRACE_MS } from '../../src/main/core/recentRemovals'

describe('recent removals', () => {
  it('holds a removed agent for the grace time, then forgets it', () => {
    let now = 1_000_000
    const r = new RecentRemovals(() => now)
    r.mark('clawker.p.a-config')
    expect(r.has('clawker.p.a-config')).toBe(true)
    expect(r.has('clawker.p.b-config')).toBe(false)
    now += REMOVAL_GRACE_MS - 1
    expect(r.has('clawker.p.a-config')).toBe(true)
    now += 1
    expect(r.has('clawker.p.a-config')).toBe(false)
  })
})
