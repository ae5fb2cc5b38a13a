/**
 * A new user's first hour (issue 15), in Chromium against the real engine: names,
 * their length, what Create is doing, a stop that is not a crash, the credentials
 * panel following removals, and words that say what to do.
 */
import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { expect, test } from './support/webApp'
import { fillNewAgent } from './support/newAgent'
import { dockerCli, engine, prefix } from './support/docker'

const hex = () => randomBytes(3).toString('hex')
const agentsRegion = (page: Page) => page.getByRole('region', { name: 'Agents' })
const row = (page: Page, label: string) => agentsRegion(page).getByRole('listitem').filter({ hasText: label })
const credentials = (page: Page) => page.getByRole('region', { name: 'Credentials' })
const toasts = (page: Page) => page.getByRole('region', { name: 'Notifications' }).getByRole('status')

test('capitals in a name become lowercase in the field, as the clawker CLI names them', async ({ page, webApp }) => {
  const id = hex()
  await page.goto(webApp.url)
  const dialog = await fillNewAgent(page, { project: `Demo${id}`, agent: 'Alpha' })
  await expect(dialog.getByLabel('Project')).toHaveValue(`demo${id}`)
  await expect(dialog.getByLabel('Agent name')).toHaveValue('alpha')
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog).toBeHidden()
  await expect(row(page, `demo${id}/alpha`)).toContainText('running')
  await expect(agentsRegion(page).getByRole('heading', { name: new RegExp(`^Demo${id}`) })).toHaveCount(0)
})

test('a name too long gets one message in words, whatever its length', async ({ page, webApp }) => {
  await page.goto(webApp.url)
  for (const [label, fields, message] of [
    ['Agent name', { agent: 'a'.repeat(100) }, 'Agent name is longer than 64 characters. Use a shorter name.'],
    ['Agent name', { agent: 'a'.repeat(300) }, 'Agent name is longer than 64 characters. Use a shorter name.'],
    ['Project', { project: 'p'.repeat(300) }, 'Project name is longer than 64 characters. Use a shorter name.'],
  ] as const) {
    const dialog = await fillNewAgent(page, { project: `len${hex()}`, agent: 'x', ...fields })
    await dialog.getByRole('button', { name: 'Create' }).click()
    const field = dialog.getByLabel(label, { exact: true })
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(field).toHaveAccessibleDescription(new RegExp(message.replace(/\./g, '\\.')))
    await expect(dialog).not.toContainText('Too big')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()
  }
})

test('Create shows its steps as they happen', async ({ page, webApp }) => {
  const project = `steps${hex()}`
  await page.goto(webApp.url)
  const dialog = await fillNewAgent(page, { project, agent: 'one' })
  // Every text the step list shows, as the page renders it (Create is quick with the test image).
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { seenSteps: string[] }).seenSteps = seen
    new MutationObserver(() => {
      const list = document.querySelector('[aria-label="Create progress"]')
      if (list) seen.push(list.textContent ?? '')
    }).observe(document.body, { subtree: true, childList: true, characterData: true })
  })
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog).toBeHidden()
  const seen = await page.evaluate(() => (window as unknown as { seenSteps: string[] }).seenSteps.join('\n'))
  for (const step of ['Checking the name, folder and image', "Making the agent's volumes", 'Making sure the shared login volume exists', 'Creating the container', 'Starting the agent']) {
    expect(seen).toContain(step)
  }
})

test('a stop the user asked for is quick, shows "stopped" and raises no alarm; nor does removing a running agent', async ({ page, webApp }) => {
  const project = `stop${hex()}`
  await page.goto(webApp.url)
  await (await fillNewAgent(page, { project, agent: 'calm' })).getByRole('button', { name: 'Create' }).click()
  const calm = row(page, `${project}/calm`)
  await expect(calm).toContainText('running')
  const stop = calm.getByRole('button', { name: 'Stop', exact: true })
  const t0 = Date.now()
  await stop.click()
  // The test image's shell ignores SIGTERM: the stop ends it after the stated 3 s, not Docker's 10.
  await expect(calm).toContainText('stopped', { timeout: 6000 })
  expect(Date.now() - t0).toBeLessThan(6000)
  await expect(calm).not.toContainText('exited')
  await expect(calm.getByRole('button', { name: 'Start', exact: true })).toBeVisible()
  await page.waitForTimeout(500)
  await expect(toasts(page)).toHaveCount(0)

  await calm.getByRole('button', { name: 'Start', exact: true }).click()
  await expect(calm).toContainText('running')
  // The wait is stated where the user clicks.
  await expect(stop).toHaveAttribute('title', /SIGTERM.*3 seconds/)
  await calm.getByRole('button', { name: 'Remove', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(calm).toHaveCount(0)
  await page.waitForTimeout(500)
  await expect(toasts(page)).toHaveCount(0)
})

test('the credentials panel says in words what each state means and what to do', async ({ page, webApp }) => {
  const project = `words${hex()}`
  await page.goto(webApp.url)
  await (await fillNewAgent(page, { project, agent: 'plain' })).getByRole('button', { name: 'Create' }).click()
  await expect(row(page, `${project}/plain`)).toContainText('running')
  const item = credentials(page).getByRole('listitem', { name: new RegExp(`^${project}/plain: `) })
  await expect(item).toHaveAccessibleName(/: (uses the shared login|will use the shared login as soon as you log in inside any agent)$/)
  const panelText = (await credentials(page).textContent()) ?? ''
  for (const jargon of ['dangling', 'reconciles', 'entrypoint', 'first-run wizard']) expect(panelText).not.toContain(jargon)
})

/**
 * The Credentials panel reads its state again 10 s after its last read ended (react-query restarts
 * the interval on each update), or five reads' time when reads take over 2 s (a slow engine, many
 * volumes): just after a read, a change is shown at once only if events refresh it.
 */
function credentialReads(page: Page): { justAfterOne(): Promise<number>; beforeTheNext(after: number): { timeout: number } } {
  const asked = new Set<number>()
  let answered = 0
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      const m = JSON.parse(String(f.payload)) as { id?: number; channel?: string }
      if (m.channel === 'credentials.state' && m.id !== undefined) asked.add(m.id)
    })
    ws.on('framereceived', (f) => {
      const m = JSON.parse(String(f.payload)) as { type?: string; id?: number }
      if (m.type === 'result' && m.id !== undefined && asked.has(m.id)) answered++
    })
  })
  return {
    /** Waits for a read to end; the panel's next timed read starts 10 s after, or later. */
    async justAfterOne() {
      const before = answered
      await expect.poll(() => answered, { timeout: 60_000 }).toBeGreaterThan(before)
      return Date.now()
    },
    /** A wait that ends before the timed read after `after` could answer: what shows by then came from elsewhere. */
    beforeTheNext(after: number) {
      return { timeout: Math.max(500, after + 9500 - Date.now()) }
    },
  }
}

test('the credentials panel drops a removed agent at once, removed in the window or by the docker CLI', async ({ page, webApp }) => {
  // Two waits for a timed read, each up to a slow engine's interval.
  test.setTimeout(180_000)
  const project = `gone${hex()}`
  const reads = credentialReads(page)
  await page.goto(webApp.url)
  for (const agent of ['brief', 'cli']) {
    await (await fillNewAgent(page, { project, agent })).getByRole('button', { name: 'Create' }).click()
    await expect(row(page, `${project}/${agent}`)).toContainText('running')
    await expect(credentials(page).getByRole('listitem', { name: new RegExp(`^${project}/${agent}: `) })).toBeVisible()
  }

  let readEnd = await reads.justAfterOne()
  const brief = row(page, `${project}/brief`)
  await brief.getByRole('button', { name: 'Remove', exact: true }).click()
  const confirm = page.getByRole('dialog', { name: `Remove ${project}/brief?` })
  await confirm.getByLabel("Also remove the agent's volumes (config, history, workspace)").check()
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click()
  // The form closes once the container and its volumes are gone; the panel follows at once, not at its next timed read.
  await expect(confirm).toBeHidden(reads.beforeTheNext(readEnd))
  await expect(credentials(page).getByRole('listitem', { name: new RegExp(`^${project}/brief: `) })).toHaveCount(0, reads.beforeTheNext(readEnd))

  // Removed outside the app (as the clawker CLI would), just after a timed read: only the engine's events can tell the panel.
  readEnd = await reads.justAfterOne()
  const name = `${prefix()}.${project}.cli`
  await dockerCli('rm', '-f', name)
  const { Volumes } = await engine().listVolumes({ filters: { name: [`${name}-`] } })
  // The app's read of the panel mounts an agent's volumes for a moment: a volume in use is tried again.
  await expect(async () => {
    await dockerCli('volume', 'rm', '-f', ...(Volumes ?? []).map((v) => v.Name))
  }).toPass({ intervals: [100, 200], timeout: 3000 })
  await expect(credentials(page).getByRole('listitem', { name: new RegExp(`^${project}/cli: `) })).toHaveCount(0, reads.beforeTheNext(readEnd))
})

/** Screenshots for review and for the README (docs/ holds copies): two sizes, light and dark. */
test('screenshots: main window, New agent with a build, Credentials panel, wizard', async ({ page, webApp }) => {
  const project = `shots${hex()}`
  const dir = 'e2e-artifacts/screenshots'
  await page.goto(webApp.url)
  await (await fillNewAgent(page, { project, agent: 'ralph' })).getByRole('button', { name: 'Create' }).click()
  await expect(row(page, `${project}/ralph`)).toContainText('running')
  await expect(credentials(page).getByRole('listitem', { name: new RegExp(`^${project}/ralph: `) })).toBeVisible({ timeout: 20_000 })
  for (const [w, h] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: w, height: h })
      await page.emulateMedia({ colorScheme: scheme })
      const name = (what: string) => `${dir}/${what}-${w}x${h}-${scheme}.png`
      await page.screenshot({ path: name('main-window') })
      await credentials(page).screenshot({ path: name('credentials-panel') })
      await page.getByRole('button', { name: 'New agent', exact: true }).first().click()
      const dialog = page.getByRole('dialog', { name: 'New agent' })
      await dialog.getByLabel('Project').fill(project)
      await dialog.getByRole('button', { name: 'Build project image…' }).click()
      await expect(dialog.getByRole('region', { name: 'Build the project image' })).toBeVisible()
      await page.screenshot({ path: name('new-agent-build') })
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await page.getByRole('button', { name: 'Share login…' }).click()
      const wizard = page.getByRole('dialog', { name: 'Share one login across your agents' })
      await expect(wizard.getByRole('button', { name: 'Migrate' })).toBeVisible()
      await page.screenshot({ path: name('wizard') })
      await page.keyboard.press('Escape')
      await expect(wizard).toBeHidden()
    }
  }
  // With a shell open: the terminal takes the height the agents leave, at both sizes.
  await page.emulateMedia({ colorScheme: 'light' })
  await row(page, `${project}/ralph`).getByRole('button', { name: `Shell in ${project}/ralph` }).click()
  await expect(page.getByRole('tabpanel', { name: `${project}/ralph shell` }).getByRole('status')).toHaveText('Connected.')
  for (const [w, h] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${dir}/main-window-terminal-${w}x${h}-light.png` })
  }
})

test('a snapshot agent is marked as one in the list', async ({ page, webApp }) => {
  const project = `snap${hex()}`
  await page.goto(webApp.url)
  const dialog = await fillNewAgent(page, { project, agent: 'copy' })
  await dialog.getByLabel('Snapshot: the agent works on a copy').check()
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog).toBeHidden()
  const copy = row(page, `${project}/copy`)
  await expect(copy).toContainText('running')
  await expect(copy).toContainText('snapshot')
  await expect(copy).toContainText('copy of /')
})
