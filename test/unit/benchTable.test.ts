import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { percentile, summarise } from '../../bench/stats'
import { END, renderTable, replaceTable, START, type Results } from '../../bench/table'

const results: Results = {
  meta: { date: '2026-11-25T08:00:00.000Z', commit: 'abc1234', engine: '20.10.24', cores: 2, memory_gb: 23.5, cpu: 'AMD EPYC', load_at_start: 1.5, chromium: 'Chromium 156', node: '20.20.2' },
  cases: [
    summarise('terminal-echo-page', [10, 12, 30], 'p95 <= 25 ms', (s) => s.p95 <= 25),
    summarise('list-1000', [5, 6], 'p50 - baseline p50 <= 30 ms', () => true, { baseline: [4, 4] }),
    summarise('agent-image-size', [612.34], '<= 700 MB', (s) => s.p50 <= 700, { unit: 'MB' }),
  ],
}

describe('bench figures', () => {
  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(xs, 50)).toBe(50)
    expect(percentile(xs, 95)).toBe(95)
    expect(percentile([7], 95)).toBe(7)
    expect(percentile([], 50)).toBeNaN()
  })

  it('judges a target in a full run and leaves it unjudged in smoke mode', () => {
    expect(results.cases[0]).toMatchObject({ p50: 12, p95: 30, runs: 3, met: false })
    expect(summarise('x', [1], 't', () => true, { smoke: true }).met).toBeUndefined()
  })
})

describe('the README benchmark table', () => {
  it('is written from the results between the markers, the rest left as it was', () => {
    const readme = `# T\n\nbefore\n${START}\nold table typed by hand\n${END}\nafter\n`
    const out = replaceTable(readme, renderTable(results))
    expect(out).not.toContain('typed by hand')
    expect(out).toContain('| terminal-echo-page | ms | 12 | 30 |  | 3 | p95 <= 25 ms | **no** |')
    expect(out).toContain('| list-1000 | ms | 5 | 6 | 4 | 2 |')
    expect(out).toContain('| agent-image-size | MB | 612.34 | 612.34 |  | 1 | <= 700 MB | yes |')
    expect(out.startsWith('# T\n\nbefore\n')).toBe(true)
    expect(out.endsWith(`${END}\nafter\n`)).toBe(true)
    expect(replaceTable(out, renderTable(results))).toBe(out)
  })

  it('refuses a README without markers', () => {
    expect(() => replaceTable('# no markers', 'x')).toThrow(/markers/)
  })

  it('in README.md is the one bench/results.json gives (run npm run bench:table)', () => {
    const committed = JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results
    const readme = readFileSync('README.md', 'utf8')
    expect(readme).toBe(replaceTable(readme, renderTable(committed)))
  })
})
