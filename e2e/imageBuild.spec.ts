/** The build part of the New agent form: local base images offered; a base the engine lacks says what to do. */
import { randomBytes } from 'node:crypto'
import { expect, test } from './support/webApp'
import { agentImage, prefix } from './support/docker'
import { workspaceFolder } from './support/newAgent'

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

test("the Image field offers the engine's images, the project image first and marked; another image says what it means", async ({ page, webApp }) => {
  // The run's agent image is the project image of this project (built from the template in the global setup).
  const project = `e2e${prefix().slice(-6)}`
  await page.goto(webApp.url)
  await page.getByRole('button', { name: 'New agent', exact: true }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New agent' })
  await dialog.getByLabel('Project').fill(project)
  const image = dialog.getByLabel('Image')
  await expect(image).toHaveAttribute('placeholder', agentImage())
  const options = page.locator(`datalist[id="${await image.getAttribute('list')}"] option`)
  await expect(options.first()).toHaveAttribute('value', agentImage())
  await expect(options.first()).toHaveAttribute('label', 'project image')
  await expect(page.locator(`datalist[id="${await image.getAttribute('list')}"] option[label="project image"]`)).toHaveCount(1)
  // A local image not made from the template is offered too, marked as such.
  await expect(options.and(page.locator(`[value="${process.env.E2E_BASE_IMAGE}"]`))).toHaveAttribute('label', 'other image')

  // Chosen, it says what that means; the project image says nothing.
  await image.fill(process.env.E2E_BASE_IMAGE!)
  await expect(dialog.getByRole('note')).toContainText(`${process.env.E2E_BASE_IMAGE} is not built from the Clawker template`)
  await expect(dialog.getByRole('note')).toContainText('/bin/sh')
  await image.fill(agentImage())
  await expect(dialog.getByRole('note')).toHaveCount(0)

  // A name typed in full is taken as it is: the agent is made from it.
  await dialog.getByLabel('Agent name').fill('typed')
  await dialog.getByLabel('Workspace folder').fill(workspaceFolder())
  await dialog.getByLabel('Command (optional)').fill('sh')
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog).toBeHidden()
  const row = page.getByRole('region', { name: 'Agents' }).getByRole('listitem').filter({ hasText: `${project}/typed` })
  await expect(row).toContainText('running')
  await expect(row).toContainText(agentImage())
})
