/**
 * `npm run bench:table`: writes the README's benchmark table from bench/results.json,
 * between the markers below. The table is never typed by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import type { Case } from './stats'

export const START = '<!-- bench-table:start (npm run bench:table writes this from bench/results.json) -->'
export const END = '<!-- bench-table:end -->'

export interface Results {
  meta: { date: string; commit: string; engine: string; cores: number; memory_gb: number; cpu: string; load_at_start: number; chromium: string; node: string }
  cases: Case[]
}

const cell = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '' : String(x))
const met = (m: boolean | undefined) => (m === undefined ? '' : m ? 'yes' : '**no**')

export function renderTable(r: Results): string {
  const m = r.meta
  const lines = [
    `Run of ${m.date.slice(0, 10)} at commit ${m.commit}: Docker ${m.engine}, ${m.cores} cores (${m.cpu}), ${m.memory_gb} GB, ` +
      `load average ${m.load_at_start} at start, ${m.chromium}, Node ${m.node}.`,
    '',
    '| case | unit | p50 | p95 | baseline p50 | runs | target | met |',
    '|---|---|---|---|---|---|---|---|',
    ...r.cases.map((c) => `| ${c.name} | ${c.unit} | ${cell(c.p50)} | ${cell(c.p95)} | ${cell(c.baseline_p50)} | ${c.runs} | ${c.target} | ${met(c.met)} |`),
  ]
  return lines.join('\n')
}

/** The README with the text between the markers replaced; an error when a marker is missing. */
export function replaceTable(readme: string, table: string): string {
  const a = readme.indexOf(START)
  const b = readme.indexOf(END)
  if (a < 0 || b < a) throw new Error(`README.md has no benchmark markers (${START} … ${END})`)
  return `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`
}

if (process.argv[1] && /bench[\\/]table\.ts$/.test(process.argv[1])) {
  const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results
  writeFileSync('README.md', replaceTable(readFileSync('README.md', 'utf8'), renderTable(results)))
  console.log('README.md: benchmark table written from bench/results.json')
}
