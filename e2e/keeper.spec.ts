/**
 * The keeper's work in the credentials panel: an agent whose login Claude Code
 * just saved (a rename over the link) shows as diverged, then linked again once
 * the keeper has put the newer login into the shared volume.
 */
import { randomBytes } from 'node:crypto'
import { expect, startWebApp, test } from './support/webApp'
import { dockerCli, prefix, putFile } from './support/docker'
import { createAgentThroughForm } from './support/newAgent'

const login = (n: number, exp: number) =>
  `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-FAKE-kp-${n}","refreshToken":"sk-ant-ort01-FAKE-kp-${n}","expiresAt":${exp},"scopes":["user:inference"],"subscriptionType":"max"}}`

test('a refresh in an agent shows as diverged, then linked once the keeper has shared it', async ({ page }) => {
  test.setTimeout(90_000)
  const project = `kp${randomBytes(3).toString('hex')}`
  // A slow keeper, so the moment between the save and its pass can be seen.
  // Its own prefix: a shared login left by another test must not be there.
  const p = `${prefix()}kp`
  const app = await startWebApp({ CLAWKER_KEEPER_INTERVAL: '8', CLAWKER_NAME_PREFIX: p })
  try {
    await page.goto(app.url)
    await createAgentThroughForm(page, { project, agent: 'r' })
    const item = page.getByRole('region', { name: 'Credentials' }).getByRole('listitem', { name: new RegExp(`^${project}/r:`) })
    await expect(item).toHaveAccessibleName(/: will use the shared login as soon as you log in/)
    // A login arrives in the shared volume (as the wizard or another agent would put it).
    await putFile(`${p}-globals`, '.credentials.json', login(1, 1893456000000))
    await page.reload()
    await expect(item).toHaveAccessibleName(`${project}/r: uses the shared login`)

    // What Claude Code does on a refresh: a new file renamed over the link.
    await dockerCli('exec', '-u', 'claude', '-e', `C=${login(2, 1893459600000)}`, `${p}.${project}.r`, 'sh', '-c',
      'printf %s "$C" > ~/.claude/.tmp && mv -f ~/.claude/.tmp ~/.claude/.credentials.json')
    await page.reload()
    await expect(item).toHaveAccessibleName(/^.*: logged in on its own/)
    await expect(item).toHaveAccessibleName(`${project}/r: uses the shared login`, { timeout: 30_000 })
    await expect(page.getByRole('region', { name: 'Credentials' })).toContainText('Holds credentials.')
  } finally {
    await app.stop()
  }
})
