/** The build part of the New agent form: local base images offered; a base the engine lacks says what to do. */
import { randomBytes } from 'node:crypto'
import { expect, test } from './support/webApp'

test('the build offers local base images, and a missing base fails with what to do, the log ending on it', async ({ page, webApp }) => {
  const project = `e2e${randomBytes(3).toString('hex')}`
  await page.goto(webApp.url)
  await page.getByRole('button', { name: 'New agent', exact: true }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New agent' })
  await dialog.getByLabel('Project').fill(project)
  await dialog.getByRole('button', { name: 'Build project image…' }).click()
  const build = dialog.getByRole('region', { name: 'Build the project image' })
  const base = build.getByLabel('Base image')
  const listId = await base.getAttribute('list')
  await expect(page.locator(`datalist[id="${listId}"] option[value="${process.env.E2E_BASE_IMAGE}"]`)).toHaveCount(1)
  await expect(build.getByLabel('CA certificate (optional)')).toBeVisible()
  await expect(build.getByLabel('Build network (optional)')).toBeVisible()

  const missing = `clawker-no-such-base-${randomBytes(3).toString('hex')}:latest`
  await base.fill(missing)
  await build.getByRole('button', { name: 'Build', exact: true }).click()
  await expect(build).toContainText(`${missing} is not on this engine and cannot be pulled: pick a local base image, or check the engine's network`)
  await expect(build.getByRole('status')).toHaveText('The build failed.')
  const log = await build.getByRole('log', { name: 'Build output' }).textContent()
  expect(log?.trim().split('\n').at(-1)).not.toMatch(/^Pulling/)
})
