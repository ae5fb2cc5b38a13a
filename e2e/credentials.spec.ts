/** The credentials panel against the real engine: state changes show, and no token ever reaches the page. */
import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { expect, startWebApp, test } from './support/webApp'
import { engine, prefix, putFile } from './support/docker'

const SECRET = 'sk-ant-oat01-FAKE-e2e-SECRET-token'
const REFRESH = 'sk-ant-ort01-FAKE-e2e-SECRET-refresh'
const login = (exp: number) =>
  `{"claudeAiOauth":{"accessToken":"${SECRET}","refreshToken":"${REFRESH}","expiresAt":${exp},"scopes":["user:inference","user:profile"],"subscriptionType":"max"}}`

const credentials = (page: Page) => page.getByRole('region', { name: 'Credentials' })

/** Every WebSocket frame the page receives. */
function recordFrames(page: Page): string[] {
  const frames: string[] = []
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))))
  return frames
}

async function configVolume(project: string, agent: string): Promise<string> {
  const name = `${prefix()}.${project}.${agent}-config`
  await engine().createVolume({
    Name: name,
    Labels: { 'com.clawker.managed': 'true', 'com.clawker.project': project, 'com.clawker.agent': agent, 'com.clawker.purpose': 'config' },
  })
  return name
}

test('an agent with local credentials is waiting to migrate; shared credentials show as metadata only', async ({ page, webApp }) => {
  const frames = recordFrames(page)
  const project = `cred${randomBytes(3).toString('hex')}`
  await putFile(await configVolume(project, 'local'), '.credentials.json', login(Date.now() + 3 * 3600_000))
  await page.goto(webApp.url)
  const panel = credentials(page)
  await expect(panel.getByRole('listitem', { name: `${project}/local: has its own login, not shared yet: start it, or use Share login…` })).toBeVisible()
  await expect(panel).toContainText('No shared login yet')

  // The global volume, labelled as the app makes it, gets a login with a loose mode.
  const globals = `${prefix()}-globals`
  await engine().createVolume({ Name: globals, Labels: { 'com.clawker.managed': 'true', 'com.clawker.purpose': 'globals' } })
  await putFile(globals, '.credentials.json', login(Date.now() + 2 * 3600_000), 0o644)
  await expect(panel).toContainText('Holds credentials.', { timeout: 15_000 })
  await expect(panel).toContainText('max')
  await expect(panel).toContainText('user:inference, user:profile')
  await expect(panel).toContainText(/in 1 h 5\d min|in 2 h 0 min/)
  await expect(panel).toContainText('mode 644, owner 1001:1001 — should be 600')
  await expect(panel.getByRole('listitem', { name: `${project}/local: logged in on its own` }).first()).toBeVisible()

  expect(frames.length).toBeGreaterThan(3)
  expect(frames.join('\n')).not.toContain('FAKE-e2e-SECRET')
  expect(webApp.output()).not.toContain('FAKE-e2e')
})

test('an expired login shows as expired', async ({ page, webApp }) => {
  const project = `exp${randomBytes(3).toString('hex')}`
  await putFile(await configVolume(project, 'old'), '.credentials.json', login(Date.now() - 60_000))
  await page.goto(webApp.url)
  const item = credentials(page).getByRole('listitem', { name: new RegExp(`${project}/old`) })
  await expect(item).toContainText('expired')
})

test('a quiet app stays quiet: no request storm while nothing changes', async ({ page }) => {
  // A name prefix of its own: agents of other tests on the same engine coming and going are changes, not quiet.
  const app = await startWebApp({ CLAWKER_NAME_PREFIX: `${prefix()}q${randomBytes(2).toString('hex')}` })
  try {
    const frames = recordFrames(page)
    await page.goto(app.url)
    await expect(credentials(page)).toBeVisible()
    await page.waitForTimeout(1500)
    const settled = frames.length
    await page.waitForTimeout(3000)
    // At most one timed refresh of the credential panel (10 s period) may fall in the window.
    expect(frames.length - settled, frames.slice(settled).join('\n').slice(0, 2000)).toBeLessThanOrEqual(2)
  } finally {
    await app.stop()
  }
})
