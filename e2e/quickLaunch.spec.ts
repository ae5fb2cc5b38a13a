/** The tray's menu model, reached in the browser mode from the header's quick-launch menu; the settings behind it. */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, startWebApp, test } from './support/webApp'
import { createAgentThroughForm } from './support/newAgent'
import { prefix } from './support/docker'

test('quick launch lists projects and agents, opens an agent, and prefills a new agent', async ({ page, webApp }) => {
  const project = `ql${randomBytes(3).toString('hex')}`
  await page.goto(webApp.url)
  await createAgentThroughForm(page, { project, agent: 'scout' })
  await expect(page.getByRole('region', { name: 'Agents' }).getByRole('listitem').filter({ hasText: `${project}/scout` })).toContainText('running')

  await page.getByRole('button', { name: 'Quick launch' }).click()
  const menu = page.getByRole('menu', { name: 'Quick launch' })
  // The project just used comes first (recent projects), with its agent and state.
  await expect(menu.getByRole('group').first()).toHaveAccessibleName(project)
  await expect(menu.getByRole('menuitem', { name: 'scout — running' })).toBeFocused()
  await expect(menu.getByRole('note')).toHaveText(/Clawker: \d+ agents? running/)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('tabpanel', { name: `${project}/scout terminal` }).getByRole('status')).toHaveText('Connected.')

  await page.getByRole('button', { name: 'Quick launch' }).click()
  await page.getByRole('menu', { name: 'Quick launch' }).getByRole('menuitem', { name: `New agent in ${project}…` }).click()
  await expect(page.getByRole('dialog', { name: 'New agent' }).getByLabel('Project')).toHaveValue(project)
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)
})

test('a corrupt settings file is set aside with a message, and the app starts', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clawker-e2e-corrupt-'))
  writeFileSync(join(dataDir, 'settings.json'), '{"recentProjects": [')
  const app = await startWebApp({ CLAWKER_DATA_DIR: dataDir })
  try {
    await page.goto(app.url)
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Your settings file could not be read and was set aside')
    await expect(page.getByRole('region', { name: 'Agents' })).toBeVisible()
    expect(readdirSync(dataDir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true)
  } finally {
    await app.stop()
  }
})

test('quick launch with no agents says so, and offers New agent… that opens the form', async ({ page }) => {
  // A name prefix of its own (and, as every test app, a fresh data folder): no agents, no recent projects.
  const app = await startWebApp({ CLAWKER_NAME_PREFIX: `${prefix()}e${randomBytes(2).toString('hex')}` })
  try {
    await page.goto(app.url)
    await expect(page.getByRole('region', { name: 'Agents' })).toContainText('0 agents')
    await page.getByRole('button', { name: 'Quick launch' }).click()
    const menu = page.getByRole('menu', { name: 'Quick launch' })
    await expect(menu).toContainText('No agents yet')
    await expect(menu).not.toContainText('No projects')
    const item = menu.getByRole('menuitem', { name: 'New agent…' })
    await expect(item).toBeFocused()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'New agent' })
    await expect(dialog).toBeVisible()
    await expect(dialog.getByLabel('Project')).toHaveValue('')
    await expect(menu).toHaveCount(0)
  } finally {
    await app.stop()
  }
})
