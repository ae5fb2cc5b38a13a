import { describe, expect, it } from 'vitest'
import { shortDate } from '../../src/renderer/src/format'

describe('shortDate', () => {
  it('says local date and time, minutes padded', () => {
    const local = new Date(2026, 0, 5, 7, 3, 59)
    expect(shortDate(local.toISOString())).toBe('2026-01-05 07:03')
  })

  it('gives back what is not a date as it is', () => {
    expect(shortDate('not a date')).toBe('not a date')
  })
})
