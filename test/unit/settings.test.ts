import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_RECENT_PROJECTS, SettingsStore } from '../../src/main/services/settings'

const dir = () => mkdtempSync(join(tmpdir(), 'clawker-settings-'))
const clock = () => {
  let t = Date.parse('2026-01-01T00:00:00Z')
  return () => new Date((t += 1000))
}

describe('settings store', () => {
  it('starts from defaults when there is no file', () => {
    const s = new SettingsStore(dir())
    expect(s.get()).toEqual({ version: 1, recentProjects: [], wizardDone: false, engines: [], loginSyncOff: [] })
    expect(s.warning).toBeUndefined()
  })

  it('writes atomically with mode 600 and reads back what it wrote', async () => {
    const d = dir()
    const s = new SettingsStore(d, clock())
    await s.rememberProject('webapp', '/src/webapp')
    await s.update((x) => ({ ...x, wizardDone: true }))
    expect(statSync(s.path).mode & 0o777).toBe(0o600)
    expect(readdirSync(d)).toEqual(['settings.json'])
    const again = new SettingsStore(d)
    expect(again.get().wizardDone).toBe(true)
    expect(again.get().recentProjects.map((p) => p.name)).toEqual(['webapp'])
  })

  it('keeps recent projects most recent first, once each, at most the limit', async () => {
    const s = new SettingsStore(dir(), clock())
    for (let i = 0; i < MAX_RECENT_PROJECTS + 3; i++) await s.rememberProject(`p${i}`, `/w/${i}`)
    await s.rememberProject('p5', '/w/5b')
    const names = s.get().recentProjects.map((p) => p.name)
    expect(names).toHaveLength(MAX_RECENT_PROJECTS)
    expect(names[0]).toBe('p5')
    expect(new Set(names).size).toBe(names.length)
    expect(s.get().recentProjects[0]!.workspace).toBe('/w/5b')
  })

  it.each([
    ['broken JSON', '{"version": 1, "recentProjects": ['],
    ['a wrong shape', '{"version": 1, "recentProjects": "webapp"}'],
    ['an unknown version', '{"version": 99}'],
  ])('sets a file with %s aside, with a message, and starts with defaults', (_what, content) => {
    const d = dir()
    writeFileSync(join(d, 'settings.json'), content)
    const s = new SettingsStore(d, clock())
    expect(s.get().recentProjects).toEqual([])
    expect(s.warning).toMatch(/set aside as .*settings\.json\.corrupt-/)
    const aside = readdirSync(d).find((f) => f.startsWith('settings.json.corrupt-'))!
    expect(readFileSync(join(d, aside), 'utf8')).toBe(content)
  })

  it('refuses to save an invalid change and keeps the old settings', async () => {
    const s = new SettingsStore(dir())
    await expect(s.update((x) => ({ ...x, recentProjects: 'nope' as never }))).rejects.toThrow()
    expect(s.get().recentProjects).toEqual([])
  })
})
