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
  // Its own prefix: a shared login left by another test must not be there.
  const p = `${prefix()}kp`
  const app = await startWebApp({ CLAWKER_NAME_PREFIX: p })
  try {
    await page.goto(app.url)
    await createAgentThroughForm(page, { project, agent: 'r' })
    const item = page.getByRole('region', { name: 'Credentials' }).getByRole('listitem', { name: new RegExp(`^${project}/r:`) })
    await expect(item).toHaveAccessibleName(/: will use the shared login as soon as you log in/)
    // A login arrives in the shared volume (as the wizard or another agent would put it).
    await putFile(`${p}-globals`, '.credentials.json', login(1, 1893456000000))
    await page.reload()
    await expect(item).toHaveAccessibleName(`${project}/r: uses the shared login`)

    // What Claude Code does on a refresh: a new file renamed over the link. The keeper is paused
    // meanwhile (SIGSTOP, by the agent's own user), so the moment before its pass is there to be seen
    // whenever in its interval the save falls; then it goes on, and shares the login.
    const container = `${p}.${project}.r`
    // busybox has no pkill: the keeper found by its command line (the pattern in brackets does not match this script).
    const keeper = (signal: string) =>
      dockerCli('exec', '-u', 'claude', container, 'sh', '-c',
        `n=0; for d in /proc/[0-9]*; do tr '\\0' ' ' < $d/cmdline 2>/dev/null | grep -q 'keeper[.]sh --watch' && kill -${signal} \${d#/proc/} && n=$((n+1)); done; [ $n = 1 ]`)
    await keeper('STOP')
    await dockerCli('exec', '-u', 'claude', '-e', `C=${login(2, 1893459600000)}`, container, 'sh', '-c',
      'printf %s "$C" > ~/.claude/.tmp && mv -f ~/.claude/.tmp ~/.claude/.credentials.json')
    await page.reload()
    await expect(item).toHaveAccessibleName(/^.*: logged in on its own/)
    await keeper('CONT')
    await expect(item).toHaveAccessibleName(`${project}/r: uses the shared login`, { timeout: 30_000 })
    await expect(page.getByRole('region', { name: 'Credentials' })).toContainText('Holds credentials.')
  } finally {
    await app.stop()
  }
})
