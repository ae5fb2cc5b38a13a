/**
 * Logging out, as the Credentials panel shows it: a logout inside one agent is
 * reported as such (not silently undone), and "Sign out every agent" asks
 * first, keeps the shared login as a backup and leaves every agent without one.
 */
import { randomBytes } from 'node:crypto'
import { engine, prefix, putFile, putSymlink } from './support/docker'
import { expect, startWebApp, test } from './support/webApp'

const SECRET = 'sk-ant-oat01-FAKE-e2e-SIGNOUT-token'
const login = `{"claudeAiOauth":{"accessToken":"${SECRET}","refreshToken":"sk-ant-ort01-FAKE-e2e-SIGNOUT-refresh","expiresAt":${Date.now() + 3600_000},"scopes":["user:inference"],"subscriptionType":"max"}}`

test('a logout inside one agent is shown, and signing out every agent keeps the login as a backup', async ({ page }) => {
  // Its own name prefix: this test changes the shared login, which other tests of the run read.
  const own = `${prefix()}so${randomBytes(3).toString('hex')}`
  const globals = `${own}-globals`
  await engine().createVolume({ Name: globals, Labels: { 'com.clawker.managed': 'true', 'com.clawker.purpose': 'globals' } })
  await putFile(globals, '.credentials.json', login)
  for (const agent of ['alpha', 'beta']) {
    const name = `${own}.demo.${agent}-config`
    await engine().createVolume({
      Name: name,
      Labels: { 'com.clawker.managed': 'true', 'com.clawker.project': 'demo', 'com.clawker.agent': agent, 'com.clawker.purpose': 'config' },
    })
    // alpha: a logout inside it left the keeper's marker link; beta shares the login.
    await putSymlink(name, '.credentials.json', agent === 'alpha' ? '/home/claude/.claude/.clawker-signed-out' : '/home/claude/.clawker-globals/.credentials.json')
  }
  const frames: string[] = []
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))))
  const app = await startWebApp({ CLAWKER_NAME_PREFIX: own })
  try {
    await page.goto(app.url)
    const panel = page.getByRole('region', { name: 'Credentials' })
    await expect(panel.getByRole('status').filter({ hasText: 'Signed out in demo/alpha' })).toHaveText(
      'Signed out in demo/alpha; the shared login is still in use by 1 agent.',
    )
    await expect(panel.getByRole('listitem', { name: /^demo\/alpha: signed out in this agent/ })).toBeVisible()
    await expect(panel.getByRole('listitem', { name: 'demo/beta: uses the shared login' })).toBeVisible()

    await panel.getByRole('button', { name: 'Sign out every agent…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Sign out every agent?' })
    await expect(dialog).toContainText('nothing is lost')
    // Cancel changes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()
    await expect(panel.getByRole('button', { name: 'Sign out every agent…' })).toBeVisible()

    await panel.getByRole('button', { name: 'Sign out every agent…' }).click()
    await dialog.getByRole('button', { name: 'Sign out every agent' }).click()
    await expect(dialog.getByRole('status')).toContainText(/Signed out\. The login is kept as \.credentials\.json\.bak-\d{8}T\d{6}Z in /)
    await dialog.getByRole('button', { name: 'Close' }).click()
    await expect(panel).toContainText('none: signed out', { timeout: 15_000 })
    await expect(panel.getByRole('button', { name: 'Sign out every agent…' })).toHaveCount(0)
    expect(frames.join('\n')).not.toContain('FAKE-e2e-SIGNOUT')
  } finally {
    await app.stop()
  }
})
