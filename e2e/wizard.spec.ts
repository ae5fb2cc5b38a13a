/**
 * The first-run wizard in the window against real volumes: three agents (two
 * different logins, one none) and a host login in a temporary HOME.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, startWebApp, test } from './support/webApp'
import { engine, prefix, putFile } from './support/docker'
import { fileStates } from '../test/harness/containers'

const LINK = '/home/claude/.clawker-globals/.credentials.json'
const login = (n: string, exp: number) =>
  `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-FAKE-wiz-${n}","refreshToken":"sk-ant-ort01-FAKE-wiz-${n}","expiresAt":${exp},"scopes":["user:inference"],"subscriptionType":"max"}}`

/** One prefix per test: each starts with no global volume, as on a first run. */
async function setup(tag: string) {
  const p = `${prefix()}${tag}`
  const home = mkdtempSync(join(tmpdir(), 'clawker-e2e-home-'))
  mkdirSync(join(home, '.claude'))
  writeFileSync(join(home, '.claude', '.credentials.json'), login('host', 1893452400000), { mode: 0o600 })
  const agents = ['one', 'two', 'three']
  for (const a of agents) {
    await engine().createVolume({
      Name: `${p}.wiz.${a}-config`,
      Labels: { 'com.clawker.managed': 'true', 'com.clawker.project': 'wiz', 'com.clawker.agent': a, 'com.clawker.purpose': 'config' },
    })
  }
  await putFile(`${p}.wiz.one-config`, '.credentials.json', login('one', 1893456000000))
  await putFile(`${p}.wiz.two-config`, '.credentials.json', login('two', 1893459600000))
  const files = () =>
    fileStates(
      engine(),
      process.env.E2E_BASE_IMAGE!,
      [...agents.map((a) => ({ Type: 'volume' as const, Source: `${p}.wiz.${a}-config`, Target: `/v/${a}` })), { Type: 'volume' as const, Source: `${p}-globals`, Target: '/v/globals' }],
      ['/v/*/.credentials.json*'],
    )
  const env = { HOME: home, CLAWKER_NAME_PREFIX: p }
  return { env, files, p }
}

const wizard = (page: Page) => page.getByRole('dialog', { name: 'Share one login across your agents' })

test('the wizard opens on first run, shares the login that expires last, keeps the others, and a second run changes nothing', async ({ page }) => {
  const w = await setup('w1')
  const app = await startWebApp(w.env, { firstRun: true })
  const frames: string[] = []
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))))
  try {
    await page.goto(app.url)
    const dialog = wizard(page)
    await expect(dialog).toBeVisible()
    await expect(dialog.getByRole('radio', { name: /agent wiz\/two .*suggested/ })).toBeChecked()
    await expect(dialog.getByRole('radio', { name: /this computer/ })).toBeVisible()
    const plan = dialog.getByRole('table', { name: 'What will happen' })
    await expect(plan.getByRole('row', { name: /wiz\/one back up, then link/ })).toBeVisible()
    await expect(plan.getByRole('row', { name: /wiz\/two link/ })).toBeVisible()
    await expect(plan.getByRole('row', { name: /wiz\/three link/ })).toBeVisible()
    await dialog.getByRole('button', { name: 'Migrate' }).click()
    await expect(dialog.getByRole('status')).toHaveText(/Done: every agent shares the chosen login/)
    await expect(dialog.getByRole('listitem').filter({ hasText: 'wiz/one: kept its own login as .credentials.json.bak-' })).toBeVisible()

    const f = await w.files()
    expect(f['/v/globals/.credentials.json']).toEqual({ type: 'regular file', mode: '600', owner: '1001:1001', value: login('two', 1893459600000) })
    for (const a of ['one', 'two', 'three']) expect(f[`/v/${a}/.credentials.json`]).toMatchObject({ type: 'symbolic link', value: LINK })
    const backups = Object.entries(f).filter(([k]) => k.startsWith('/v/one/.credentials.json.bak-'))
    expect(backups.map(([, v]) => [v.mode, v.value])).toEqual([['600', login('one', 1893456000000)]])

    await dialog.getByRole('button', { name: 'Run again' }).click()
    await expect(dialog.getByRole('table', { name: 'What will happen' }).getByRole('row', { name: /wiz\/one nothing to do/ })).toBeVisible()
    // A re-run with nothing to do says so, and offers no Migrate that would do nothing.
    await expect(dialog.getByRole('status')).toHaveText('Nothing to do: every agent already shares the login.')
    await expect(dialog.getByRole('button', { name: 'Migrate' })).toBeDisabled()
    expect(await w.files()).toEqual(f)
    expect(frames.join('\n')).not.toContain('FAKE-wiz')
    expect(app.output()).not.toContain('FAKE-wiz')

    await dialog.getByRole('button', { name: 'Close' }).click()
    await page.reload()
    await expect(page.getByRole('region', { name: 'Credentials' })).toContainText('Holds credentials.')
    await expect(wizard(page)).toHaveCount(0)
  } finally {
    await app.stop()
  }
})

test('a migration interrupted between volumes loses nothing and finishes when run again', async ({ page }) => {
  const w = await setup('w2')
  const crashing = await startWebApp({ ...w.env, CLAWKER_TEST_WIZARD_FAIL_AFTER: '1' }, { firstRun: true })
  try {
    await page.goto(crashing.url)
    await wizard(page).getByRole('button', { name: 'Migrate' }).click()
    await expect(wizard(page).getByRole('status')).toHaveText(/Stopped: Interrupted after 1 volume.*nothing was lost/)
  } finally {
    await crashing.stop()
  }
  const mid = await w.files()
  const logins = (f: typeof mid) => new Set(Object.values(f).filter((v) => v.type === 'regular file').map((v) => v.value))
  expect(logins(mid)).toEqual(new Set([login('one', 1893456000000), login('two', 1893459600000)]))

  const app = await startWebApp(w.env, { firstRun: true })
  try {
    await page.goto(app.url)
    await wizard(page).getByRole('button', { name: 'Migrate' }).click()
    await expect(wizard(page).getByRole('status')).toHaveText(/Done/)
    const f = await w.files()
    for (const a of ['one', 'two', 'three']) expect(f[`/v/${a}/.credentials.json`]).toMatchObject({ type: 'symbolic link', value: LINK })
    expect(logins(f)).toEqual(logins(mid))
  } finally {
    await app.stop()
  }
})
