#!/usr/bin/env node
// Runs Electronegativity over src/ and fails on any finding above informational that
// security/electronegativity.json does not justify. Offline, its release look-up fails harmlessly.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const config = JSON.parse(readFileSync('security/electronegativity.json', 'utf8'))
/** Runs of the tool before a garbled file fails the check (about one run in seven comes out garbled). */
const ATTEMPTS = 5
const HEADER = 'issue, severity, confidence, filename, location, sample, description, url'

/**
 * One run of the tool, its CSV as text. The tool writes the header and the rows with two
 * writes at once (a truncating one and an appending one): the header sometimes lands over the
 * start of the rows, or wipes them. A file whose rows are not whole, or that lacks a finding
 * a justification names, is made again; a justification that still finds nothing is stale.
 */
function runTool() {
  let missing = []
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const out = join(mkdtempSync(join(tmpdir(), 'electronegativity-')), 'findings.csv')
    execFileSync(
      process.execPath,
      ['node_modules/@doyensec/electronegativity/dist/index.js', '-i', config.input, '-r', '-v', 'false', '-e', config.electronVersion, '-o', out],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
    const text = readFileSync(out, 'utf8')
    const [header, ...rows] = parseCsv(text)
    const whole = header?.join(', ') === HEADER && rows.every((r) => r.length === 8 && /^[A-Z_]+$/.test(r[0]))
    missing = whole ? config.justified.filter((j) => !rows.some(([check, , , file, , sample]) => check === j.check && file === j.file && sample === j.sample)) : []
    if (whole && missing.length === 0) return text
    console.log(`electronegativity: its CSV came out ${whole ? 'without a finding a justification names' : 'garbled'} (attempt ${attempt}); running it again`)
  }
  for (const j of missing) console.log(`electronegativity: the justification of ${j.check} in ${j.file} matches no finding: remove it from security/electronegativity.json`)
  if (missing.length === 0) console.log(`electronegativity: its CSV came out garbled ${ATTEMPTS} times; nothing can be judged`)
  process.exit(1)
}

/** CSV rows: quoted fields may hold commas and newlines. */
function parseCsv(text) {
  const rows = [[]]
  let cur = ''
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (ch === ',' && !quoted) {
      rows[rows.length - 1].push(cur.trim())
      cur = ''
    } else if (ch === '\n' && !quoted) {
      rows[rows.length - 1].push(cur.trim())
      rows.push([])
      cur = ''
    } else cur += ch
  }
  rows[rows.length - 1].push(cur.trim())
  return rows.filter((r) => r.length > 1)
}

const rows = parseCsv(runTool()).slice(1)
const findings = rows.map(([check, severity, confidence, file, location, sample]) => ({ check, severity, confidence, file, location, sample }))
// A justification covers one finding exactly, by its check, file and code (the sample): the same kind elsewhere,
// or this one changed, is open again. Its line is written down too, but an edit above it only moves it.
const justified = (f) => config.justified.some((j) => j.check === f.check && j.file === f.file && j.sample === f.sample)
const moved = findings.filter((f) => config.justified.some((j) => j.check === f.check && j.file === f.file && j.sample === f.sample && j.location !== f.location))
const serious = findings.filter((f) => f.severity !== 'INFORMATIONAL')
const open = serious.filter((f) => !justified(f))
for (const f of findings) {
  const tag = f.severity === 'INFORMATIONAL' ? 'info' : justified(f) ? 'justified' : 'FINDING'
  console.log(`electronegativity: ${tag.padEnd(9)} ${f.check} ${f.severity}/${f.confidence} ${f.file}:${f.location}`)
}
for (const f of moved) console.log(`electronegativity: note: ${f.check} in ${f.file} is now at ${f.location}; update its location in security/electronegativity.json`)
console.log(`electronegativity: ${findings.length} findings, ${serious.length - open.length} justified, ${open.length} open`)
process.exit(open.length ? 1 : 0)
