/** Terminals in the window against a real busybox agent: type, resize, detach and re-attach, shell, logs. */
import { randomBytes } from 'node:crypto'
import type { Locator, Page } from '@playwright/test'
import { expect, startWebApp, test } from './support/webApp'
import { dockerCli, engine, prefix } from './support/docker'
import { createAgentThroughForm } from './support/newAgent'


const createAgent = (page: Page, project: string, agent: string, command = 'sh') => createAgentThroughForm(page, { project, agent, command })

const row = (page: Page, label: string) => page.getByRole('region', { name: 'Agents' }).getByRole('listitem').filter({ hasText: label })
const screen = (panel: Locator) => panel.locator('.xterm-rows')

async function typeIn(page: Page, panel: Locator, text: string) {
  await panel.locator('.xterm').click()
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}

test('open the terminal, type, resize, detach and re-attach', async ({ page, webApp }) => {
  const project = `term${randomBytes(3).toString('hex')}`
  await page.goto(webApp.url)
  await createAgent(page, project, 'tty')
  await expect(row(page, `${project}/tty`)).toContainText('running')
  await row(page, `${project}/tty`).getByRole('button', { name: `Open ${project}/tty` }).click()
  const panel = page.getByRole('tabpanel', { name: `${project}/tty terminal` })
  await expect(panel.getByRole('status')).toHaveText('Connected.')
  await typeIn(page, panel, 'echo hel""lo; MARK=still-$((40+2))')
  await expect(screen(panel)).toContainText(/\bhello\b/)

  await page.setViewportSize({ width: 1000, height: 900 })
  await page.waitForTimeout(300)
  await typeIn(page, panel, 'stty size')
  const lines = screen(panel).locator(':scope > div')
  await expect(lines.filter({ hasText: /^\s*\d+ \d+\s*$/ })).toHaveCount(1)
  const [rows, cols] = (await lines.filter({ hasText: /^\s*\d+ \d+\s*$/ }).innerText()).trim().split(' ').map(Number)
  // The TTY has the panel's size: as many rows as xterm draws.
  expect(rows).toBe(await lines.count())
  expect(cols).toBeGreaterThan(40)

  // Detach: the agent keeps running; re-attach finds the same shell.
  await page.getByRole('button', { name: `Close ${project}/tty terminal` }).click()
  await expect(panel).toHaveCount(0)
  expect((await engine().getContainer(`${prefix()}.${project}.tty`).inspect()).State.Running).toBe(true)
  await row(page, `${project}/tty`).getByRole('button', { name: `Open ${project}/tty` }).click()
  const again = page.getByRole('tabpanel', { name: `${project}/tty terminal` })
  await expect(again.getByRole('status')).toHaveText('Connected.')
  await typeIn(page, again, 'echo "$MARK"')
  await expect(screen(again)).toContainText('still-42')
})

test('open a shell beside the agent, and its logs from before and after', async ({ page, webApp }) => {
  const project = `term${randomBytes(3).toString('hex')}`
  await page.goto(webApp.url)
  await createAgent(page, project, 'talk2', 'sh')
  const name2 = `${prefix()}.${project}.talk2`
  await expect(row(page, `${project}/talk2`)).toContainText('running')
  await row(page, `${project}/talk2`).getByRole('button', { name: `Shell in ${project}/talk2` }).click()
  const shell = page.getByRole('tabpanel', { name: `${project}/talk2 shell` })
  await expect(shell.getByRole('status')).toHaveText('Connected.')
  await typeIn(page, shell, 'echo shell-$((6*7)) && echo before-open > /proc/1/fd/1')
  await expect(screen(shell)).toContainText('shell-42')

  await row(page, `${project}/talk2`).getByRole('button', { name: `Logs of ${project}/talk2` }).click()
  const logs = page.getByRole('tabpanel', { name: `${project}/talk2 logs` })
  await expect(logs.getByRole('status')).toHaveText('Following the logs.')
  await expect(screen(logs)).toContainText('before-open')
  await dockerCli('exec', name2, 'sh', '-c', 'echo after-open > /proc/1/fd/1')
  await expect(screen(logs)).toContainText('after-open')
})

test('an agent that exits with an error says so, and the notice opens its logs', async ({ page, webApp }) => {
  const project = `term${randomBytes(3).toString('hex')}`
  await page.goto(webApp.url)
  await createAgent(page, project, 'fails', 'false')
  const toast = page.getByRole('region', { name: 'Notifications' }).getByRole('status').filter({ hasText: `Agent ${project}/fails exited with code 1.` })
  await expect(toast).toBeVisible()
  await toast.getByRole('button', { name: 'Show logs' }).click()
  await expect(page.getByRole('tabpanel', { name: `${project}/fails logs` }).getByRole('status')).toHaveText(/Following the logs|Ended/)
  await expect(row(page, `${project}/fails`)).toContainText('exited (code 1)')
})

test('a URL printed in the terminal opens in a new tab without an opener; other schemes never open', async ({ page, webApp, context }) => {
  const project = `link${randomBytes(3).toString('hex')}`
  await page.goto(webApp.url)
  await createAgent(page, project, 'url')
  await row(page, `${project}/url`).getByRole('button', { name: `Open ${project}/url` }).click()
  const panel = page.getByRole('tabpanel', { name: `${project}/url terminal` })
  await expect(panel.getByRole('status')).toHaveText('Connected.')
  await typeIn(page, panel, 'clear; echo "Open https://login.example.invalid/oauth?code=7 to log in"; echo "javascript:alert(1)"')
  const link = screen(panel).getByText('https://login.example.invalid/oauth?code=7', { exact: false }).last()
  await expect(link).toBeVisible()
  // xterm's DOM renderer replaces a row's element when it draws the row again: the box is asked
  // for until one answers (CI once found the element gone between the two calls).
  let box: { x: number; y: number; width: number; height: number } | null = null
  await expect(async () => {
    box = await link.boundingBox({ timeout: 1000 })
    expect(box).not.toBeNull()
  }).toPass({ timeout: 10_000 })
  box = box!
  // xterm finds the link under the pointer: hover the URL's first characters, then click.
  const x = box.x + 60
  const y = box.y + box.height / 2
  // Nothing leaves the machine: the link's address answers from the test.
  await context.route('https://login.example.invalid/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>login</p>' }))
  await page.mouse.move(x, y)
  const popupPromise = context.waitForEvent('page')
  await page.mouse.click(x, y)
  const popup = await popupPromise
  await popup.waitForLoadState()
  expect(popup.url()).toContain('https://login.example.invalid/oauth?code=7')
  expect(await popup.evaluate(() => window.opener)).toBeNull()
  await popup.close()
  // The app itself never navigated away.
  expect(page.url()).toContain(`127.0.0.1:${webApp.port}`)
})

/** The rows `stty size` reports in the panel's shell, once the output shows them. */
async function sttyRows(page: Page, panel: Locator): Promise<number> {
  await typeIn(page, panel, 'clear; stty size')
  const size = screen(panel).locator(':scope > div').filter({ hasText: /^\s*\d+ \d+\s*$/ })
  await expect(size).toHaveCount(1)
  return Number((await size.innerText()).trim().split(' ')[0])
}

test('the terminal fills the space the agents leave, and its TTY follows the window', async ({ page }) => {
  // A name prefix of its own: the list holds this test's agent only, so the space left is known.
  const app = await startWebApp({ CLAWKER_NAME_PREFIX: `${prefix()}f${randomBytes(2).toString('hex')}` })
  try {
    const project = `fill${randomBytes(3).toString('hex')}`
    await page.setViewportSize({ width: 1400, height: 900 })
    await page.goto(app.url)
    await createAgent(page, project, 'big')
    await expect(row(page, `${project}/big`)).toContainText('running')
    await row(page, `${project}/big`).getByRole('button', { name: `Shell in ${project}/big` }).click()
    const panel = page.getByRole('tabpanel', { name: `${project}/big shell` })
    await expect(panel.getByRole('status')).toHaveText('Connected.')
    // The terminal reaches the bottom of the main column (the status bar's top, less the padding).
    const host = panel.getByTestId(/^xterm-/)
    const bottomGap = async () => (await page.locator('.status-bar').boundingBox())!.y - ((await host.boundingBox())!.y + (await host.boundingBox())!.height)
    expect(await bottomGap()).toBeLessThan(40)
    const tall = await sttyRows(page, panel)
    // A fixed 22rem terminal holds about 19 rows of 13px text; the window has room for half as many again.
    expect(tall).toBeGreaterThan(28)

    await page.setViewportSize({ width: 1024, height: 700 })
    await expect.poll(() => sttyRows(page, panel), { timeout: 10_000 }).toBeLessThan(tall - 8)
    expect(await bottomGap()).toBeLessThan(40)
    expect(await sttyRows(page, panel)).toBe(await screen(panel).locator(':scope > div').count())
  } finally {
    await app.stop()
  }
})

test('Open and Shell put the keyboard in the terminal, not on a button of the row', async ({ page, webApp }) => {
  const project = `focus${randomBytes(3).toString('hex')}`
  await page.goto(webApp.url)
  await createAgent(page, project, 'keys')
  const keys = row(page, `${project}/keys`)
  // At once, as a user would: the row is still changing (created, starting, running, healthy).
  await keys.getByRole('button', { name: `Open ${project}/keys` }).click()
  const panel = page.getByRole('tabpanel', { name: `${project}/keys terminal` })
  await expect(panel.getByRole('status')).toHaveText('Connected.')
  await expect(panel.locator('textarea.xterm-helper-textarea')).toBeFocused()
  // The row's state settling (the health check's first answer comes seconds later) leaves it there.
  await expect(keys).toContainText('running')
  await page.waitForTimeout(6000)
  await expect(panel.locator('textarea.xterm-helper-textarea')).toBeFocused()
  await page.keyboard.type('echo typed-$((20+3))')
  await page.keyboard.press('Enter')
  await expect(screen(panel)).toContainText('typed-23')

  await keys.getByRole('button', { name: `Shell in ${project}/keys` }).click()
  const shell = page.getByRole('tabpanel', { name: `${project}/keys shell` })
  await expect(shell.getByRole('status')).toHaveText('Connected.')
  await expect(shell.locator('textarea.xterm-helper-textarea')).toBeFocused()
  await page.keyboard.type('echo shell-$((30+4))')
  await page.keyboard.press('Enter')
  await expect(screen(shell)).toContainText('shell-34')

  // Open again, with the terminal already open behind the shell's tab: it comes to the front and takes the keys.
  await keys.getByRole('button', { name: `Open ${project}/keys` }).click()
  await expect(panel).toBeVisible()
  await expect(panel.locator('textarea.xterm-helper-textarea')).toBeFocused()
  await page.keyboard.type('echo again-$((40+5))')
  await page.keyboard.press('Enter')
  await expect(screen(panel)).toContainText('again-45')
})
