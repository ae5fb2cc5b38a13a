/** The build part of the New agent form: local base images offered; a base the engine lacks says what to do. */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './support/webApp'
import { agentImage, dockerCli, engine, prefix } from './support/docker'
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

test("a base with no shell fails in words, the engine's own words one click away and the log ending on the failure", async ({ page, webApp }) => {
  // A local base with nothing in it (as scratch): imported from an archive, nothing is pulled.
  const { tarBuffer } = await import('../src/main/docker/tarball')
  const file = join(mkdtempSync(join(tmpdir(), 'clawker-e2e-noshell-')), 'empty.tar')
  writeFileSync(file, await tarBuffer([{ name: 'etc', type: 'directory', mode: 0o755 }]))
  const base = `${prefix()}-noshell:latest`
  await dockerCli('import', file, base)
  try {
    await buildFailsInWords(page, webApp.url, base)
  } finally {
    await removeWithDescendants(base)
  }
})

/** Removes an image and the build steps' images made on it (a failed build keeps them as its cache), leaves first. */
async function removeWithDescendants(name: string): Promise<void> {
  const d = engine()
  const { Id } = await d.getImage(name).inspect()
  const all = await d.listImages({ all: true })
  const below = new Set([Id])
  for (let grew = true; grew; ) {
    grew = false
    for (const i of all) {
      if (!below.has(i.Id) && below.has(i.ParentId)) {
        below.add(i.Id)
        grew = true
      }
    }
  }
  // Removing a leaf removes its untagged parents with it; the tagged base goes last.
  for (const leaf of all.filter((i) => below.has(i.Id) && i.Id !== Id && !all.some((c) => c.ParentId === i.Id))) {
    await d.getImage(leaf.Id).remove({ force: true }).catch(() => {})
  }
  await d.getImage(name).remove({ force: true })
}

async function buildFailsInWords(page: Page, url: string, base: string): Promise<void> {
  const project = `e2e${randomBytes(3).toString('hex')}`
  await page.goto(url)
  await page.getByRole('button', { name: 'New agent', exact: true }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New agent' })
  await dialog.getByLabel('Project').fill(project)
  await dialog.getByRole('button', { name: 'Build project image…' }).click()
  const build = dialog.getByRole('region', { name: 'Build the project image' })
  await build.getByLabel('Base image').fill(base)
  await build.getByLabel('Install Claude Code').uncheck()
  await build.getByRole('button', { name: 'Build', exact: true }).click()
  await expect(build.getByRole('status')).toHaveText('The build failed.', { timeout: 60_000 })

  const said = build.getByRole('alert')
  await expect(said).toHaveText(`The base image ${base} has no shell (/bin/sh) or no user list (/etc/passwd), so the template's steps cannot run in it: pick a base with a POSIX shell, such as debian:bookworm-slim or alpine.`)
  // The engine's text is there, folded: one click opens it.
  const words = build.locator('details').filter({ has: page.getByText("The engine's own words") })
  const raw = words.locator('pre')
  await expect(raw).toBeHidden()
  await words.getByText("The engine's own words").click()
  await expect(raw).toBeVisible()
  await expect(raw).toHaveText(/unable to find user|passwd|\/bin\/sh/)
  const log = await build.getByRole('log', { name: 'Build output' }).textContent()
  expect(log?.trim().split('\n').at(-1)).toBe(await said.textContent())
}
