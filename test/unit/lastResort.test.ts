import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lastResortHandler, redact } from '../../src/main/lastResort'

describe('the last resort', () => {
  it('takes tokens and credentials out of what it logs', () => {
    expect(redact('token=abcdefghijkl and sk-ant-oat01-FAKE-xyz', ['abcdefghijkl'])).toBe('token=[token] and sk-ant-[redacted]')
    const lines: string[] = []
    lastResortHandler((l) => lines.push(l), () => ['s3cr3t-t0ken'])(new Error('failed with s3cr3t-t0ken'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/unexpected error was caught, and the app goes on: Error: failed with \[token\]/)
  })

  it('keeps a process alive after an error nobody caught', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clk-lastresort-'))
    const file = join(dir, 'stray.ts')
    writeFileSync(
      file,
      `import { installLastResort } from ${JSON.stringify(resolve('src/main/lastResort.ts'))}
installLastResort(() => [], (l) => console.log(l.split('\\n')[0]))
setTimeout(() => { throw new Error('stray') }, 1)
void Promise.reject(new Error('unheard'))
setTimeout(() => console.log('still serving'), 50)
`,
    )
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 20_000 })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Error: stray')
    expect(r.stdout).toContain('Error: unheard')
    expect(r.stdout).toContain('still serving')
  })
})
