/** Terminals in the window against a real busybox agent: type, resize, detach and re-attach, shell, logs. */
import { randomBytes } from 'node:crypto'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './support/webApp'
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
  const box = (await link.boundingBox())!
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
