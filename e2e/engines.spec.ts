/**
 * Remote engines in the window: a docker context with TLS added in the Engines
 * panel, an agent created on it (bind is off there, and the form says why), its
 * row saying which engine; an engine that cannot be reached shows the reason and
 * leaves the local one alone.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dockerFromHost } from '../src/main/docker/connection'
import { canStartPrivateDockerd } from '../test/harness/engine'
import { ensureBaseImage } from '../test/harness/images'
import { startTlsDockerd } from '../test/harness/remoteEngines'
import { workspaceFolder } from './support/newAgent'
import { expect, startWebApp, test } from './support/webApp'

test('a remote engine added as a docker context runs an agent; one that cannot be reached says why', async ({ page }) => {
  test.skip(!canStartPrivateDockerd(), 'needs root on Linux with dockerd installed, to run a TLS engine of its own')
  test.setTimeout(180_000)
  const remote = await startTlsDockerd()
  const base = await ensureBaseImage(dockerFromHost(remote.unixHost))
  // The docker CLI's context store in a HOME of the test's own.
  const home = mkdtempSync(join(tmpdir(), 'clk-e2e-home-'))
  const id = createHash('sha256').update('buildbox').digest('hex')
  const contexts = join(home, '.docker', 'contexts')
  mkdirSync(join(contexts, 'meta', id), { recursive: true })
  mkdirSync(join(contexts, 'tls', id, 'docker'), { recursive: true })
  writeFileSync(join(contexts, 'meta', id, 'meta.json'), JSON.stringify({ Name: 'buildbox', Metadata: { Description: 'build box' }, Endpoints: { docker: { Host: remote.host } } }))
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(contexts, 'tls', id, 'docker', f), readFileSync(join(remote.clientDir, f)))
  const app = await startWebApp({ HOME: home })
  try {
    await page.goto(app.url)
    const panel = page.getByRole('region', { name: 'Engines' })
    await expect(panel.getByRole('listitem', { name: /^this computer: connected/ })).toBeVisible()

    const add = panel.getByRole('form', { name: 'Add an engine' })
    await add.getByLabel('Name').fill('buildbox')
    await add.getByLabel('Address or context').fill('context:buildbox')
    await add.getByRole('button', { name: 'Add engine' }).click()
    await expect(panel.getByRole('listitem', { name: /^buildbox: connected/ })).toBeVisible({ timeout: 15_000 })

    // An engine that does not answer: the reason, and the local one goes on.
    await add.getByLabel('Name').fill('nowhere')
    await add.getByLabel('Address or context').fill('tcp://127.0.0.1:1')
    await add.getByRole('button', { name: 'Add engine' }).click()
    await expect(panel.getByRole('listitem', { name: /^nowhere: not reachable: refused/ })).toBeVisible({ timeout: 15_000 })
    await expect(panel.getByRole('listitem', { name: /^this computer: connected/ })).toBeVisible()

    const project = `rem${randomBytes(3).toString('hex')}`
    await page.getByRole('button', { name: 'New agent', exact: true }).first().click()
    const dialog = page.getByRole('dialog', { name: 'New agent' })
    await dialog.getByLabel('Engine').selectOption('buildbox')
    await expect(dialog.getByRole('radio', { name: /Bind/ })).toBeDisabled()
    await expect(dialog).toContainText('Bind is off: a folder of this computer cannot be mounted on a remote engine')
    await dialog.getByLabel('Project').fill(project)
    await dialog.getByLabel('Agent name').fill('far')
    await dialog.getByLabel('Workspace folder').fill(workspaceFolder())
    await dialog.getByLabel('Image').fill(base)
    await dialog.getByLabel('Command (optional)').fill('sleep 60')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await expect(dialog).toBeHidden({ timeout: 30_000 })
    const row = page.getByRole('region', { name: 'Agents' }).getByRole('listitem').filter({ hasText: `${project}/far` })
    await expect(row).toContainText('on buildbox')
    await expect(row).toContainText('running')
    const info = await dockerFromHost(remote.unixHost).getContainer(`${process.env.E2E_NAME_PREFIX}.${project}.far`).inspect()
    expect(info.State.Running).toBe(true)

    await panel.getByRole('button', { name: 'Remove the engine nowhere' }).click()
    await expect(panel.getByRole('listitem', { name: /^nowhere:/ })).toHaveCount(0)
  } finally {
    await app.stop()
    await remote.stop()
  }
})
