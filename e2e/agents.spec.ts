/** The window against the real engine: create, follow Docker's events, remove; bad input creates nothing. */
import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { expect, test } from './support/webApp'
import { agentImage, dockerCli, engine, prefix, volumeNames } from './support/docker'
import { fillNewAgent } from './support/newAgent'
import { containerLabels } from '../src/main/docker/labels'

const uniqueProject = () => `e2e${randomBytes(3).toString('hex')}`

const agentsRegion = (page: Page) => page.getByRole('region', { name: 'Agents' })
const row = (page: Page, label: string) => agentsRegion(page).getByRole('listitem').filter({ hasText: label })

/** Agent containers of this run (the credential reader's short-lived helpers are not agents). */
async function containerCount(): Promise<number> {
  const all = await engine().listContainers({ all: true })
  return all.filter((c) => c.Names.some((n) => n.startsWith(`/${prefix()}.`))).length
}

test('create an agent through the form, follow an outside stop, remove it with its volumes', async ({ page, webApp }) => {
  const project = uniqueProject()
  await page.goto(webApp.url)
  const dialog = await fillNewAgent(page, { project, agent: 'alpha' })
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog).toBeHidden()
  const alpha = row(page, `${project}/alpha`)
  await expect(alpha).toContainText('running')

  // Stopped from outside the app: the row follows Docker's event stream.
  await dockerCli('stop', '-t', '1', `${prefix()}.${project}.alpha`)
  await expect(alpha).toContainText(/exited \(code \d+\)/, { timeout: 1000 })
  await alpha.getByRole('button', { name: 'Start', exact: true }).click()
  await expect(alpha).toContainText('running')

  await alpha.getByRole('button', { name: 'Remove', exact: true }).click()
  const confirm = page.getByRole('dialog', { name: `Remove ${project}/alpha?` })
  await expect(confirm).toContainText(`The shared login volume (${prefix()}-globals) is never removed here.`)
  await confirm.getByLabel("Also remove the agent's volumes (config, history, workspace)").check()
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(confirm).toBeHidden()
  await expect(alpha).toHaveCount(0)

  await expect(engine().getContainer(`${prefix()}.${project}.alpha`).inspect()).rejects.toMatchObject({ statusCode: 404 })
  const volumes = await volumeNames()
  expect(volumes.filter((v) => v.startsWith(`${prefix()}.${project}.`))).toEqual([])
  expect(volumes).toContain(`${prefix()}-globals`)
})

test('an agent removed without its volumes keeps them, and Escape cancels the question', async ({ page, webApp }) => {
  const project = uniqueProject()
  await page.goto(webApp.url)
  await (await fillNewAgent(page, { project, agent: 'keep' })).getByRole('button', { name: 'Create' }).click()
  const keep = row(page, `${project}/keep`)
  await expect(keep).toContainText('running')
  await keep.getByRole('button', { name: 'Remove', exact: true }).click()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await expect(keep).toBeVisible()
  await keep.getByRole('button', { name: 'Remove', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await expect(keep).toHaveCount(0)
  expect((await volumeNames()).filter((v) => v.startsWith(`${prefix()}.${project}.keep-`)).sort()).toEqual([
    `${prefix()}.${project}.keep-config`,
    `${prefix()}.${project}.keep-history`,
  ])
})

test('an agent removed outside the app leaves the list, and one created outside appears', async ({ page, webApp }) => {
  const project = uniqueProject()
  await page.goto(webApp.url)
  await (await fillNewAgent(page, { project, agent: 'gone' })).getByRole('button', { name: 'Create' }).click()
  await expect(row(page, `${project}/gone`)).toContainText('running')
  await dockerCli('rm', '-f', `${prefix()}.${project}.gone`)
  await expect(row(page, `${project}/gone`)).toHaveCount(0, { timeout: 1000 })
  // One made with the docker CLI, as the clawker CLI would name and label it.
  await dockerCli(
    'create', '--name', `${prefix()}.${project}.outside`, '--network', 'none',
    '--label', 'com.clawker.managed=true', '--label', `com.clawker.project=${project}`, '--label', 'com.clawker.agent=outside',
    agentImage(),
  )
  await expect(row(page, `${project}/outside`)).toContainText('stopped', { timeout: 2000 })
  await dockerCli('rm', '-f', `${prefix()}.${project}.outside`)
})

test('agents of two projects are listed under two headings', async ({ page, webApp }) => {
  const [first, second] = [uniqueProject(), uniqueProject()].sort()
  const d = engine()
  const make = (project: string, agent: string) =>
    d.createContainer({
      name: `${prefix()}.${project}.${agent}`,
      Image: agentImage(),
      Labels: { 'com.clawker.managed': 'true', 'com.clawker.project': project, 'com.clawker.agent': agent },
      HostConfig: { NetworkMode: 'none' },
    })
  const made = await Promise.all([make(first!, 'one'), make(first!, 'two'), make(second!, 'three')])
  try {
    await page.goto(webApp.url)
    const list = agentsRegion(page)
    await expect(list.getByRole('heading', { name: first })).toBeVisible()
    await expect(list.getByRole('heading', { name: second })).toBeVisible()
    // Each agent sits under its own project's heading: the rows after a heading, up to the next, are its agents.
    const order = await list.locator('h3.project-head, [role="listitem"]').evaluateAll((els) =>
      els.map((el) => (el.tagName === 'H3' ? `# ${el.textContent?.trim()}` : (el.getAttribute('aria-label') ?? '').split(',')[0] ?? '')),
    )
    const mine = order.filter((t) => t.includes(first!) || t.includes(second!))
    expect(mine.map((t) => t.replace(/^# (\S+).*/, '# $1'))).toEqual([`# ${first}`, `${first}/one`, `${first}/two`, `# ${second}`, `${second}/three`])
  } finally {
    await Promise.all(made.map((c) => c.remove({ force: true })))
  }
})

test.describe('invalid input shows the error by its field and creates nothing', () => {
  for (const [what, fields, label, message] of [
    ['a project name with a space', { project: 'bad name' }, 'Project', /not allowed/],
    ['an agent name with a slash', { agent: 'a/b' }, 'Agent name', /not allowed/],
    ['a missing workspace folder', { workspace: '/nonexistent/folder' }, 'Workspace folder', /does not exist/],
    ['a relative workspace folder', { workspace: 'src' }, 'Workspace folder', /absolute path/],
    ['a missing image', { image: 'clawker-none:latest' }, 'Image', /not on this Docker engine/],
  ] as const) {
    test(what, async ({ page, webApp }) => {
      await page.goto(webApp.url)
      const before = await containerCount()
      const dialog = await fillNewAgent(page, { project: uniqueProject(), agent: 'x', ...fields })
      await dialog.getByRole('button', { name: 'Create' }).click()
      const field = dialog.getByLabel(label, { exact: true })
      await expect(field).toHaveAttribute('aria-invalid', 'true')
      await expect(field).toHaveAccessibleDescription(message)
      expect(await containerCount()).toBe(before)
    })
  }
})

test('the list is virtual: only the rows in view are in the page', async ({ page, webApp }) => {
  const project = uniqueProject()
  // 40 agents made directly through the engine (created, not started): more than fit the view.
  const d = engine()
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      d.createContainer({
        name: `${prefix()}.${project}.a${String(i).padStart(2, '0')}`,
        Image: agentImage(),
        Labels: { 'com.clawker.managed': 'true', 'com.clawker.project': project, 'com.clawker.agent': `a${String(i).padStart(2, '0')}` },
        HostConfig: { NetworkMode: 'none' },
      }),
    ),
  )
  try {
    await page.setViewportSize({ width: 1200, height: 700 })
    await page.goto(webApp.url)
    await expect(row(page, `${project}/a00`)).toContainText('stopped')
    const rendered = await agentsRegion(page).getByRole('listitem').filter({ hasText: `${project}/` }).count()
    expect(rendered).toBeGreaterThan(3)
    expect(rendered).toBeLessThan(40)
    await agentsRegion(page).getByRole('list').evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
    await expect(row(page, `${project}/a39`)).toBeVisible()
  } finally {
    // Forty rows would push later tests' agents out of the virtual list's view.
    const mine = await d.listContainers({ all: true, filters: { name: [`${prefix()}.${project}.`] } })
    await Promise.all(mine.map((c) => d.getContainer(c.Id).remove({ force: true })))
  }
})

test('Stop all stops every running agent of a project, and only those', async ({ page, webApp }) => {
  const [project, other] = [uniqueProject(), uniqueProject()]
  const d = engine()
  const make = async (p: string, agent: string) => {
    const c = await d.createContainer({
      name: `${prefix()}.${p}.${agent}`,
      Image: agentImage(),
      Cmd: ['sleep', '600'],
      Labels: { 'com.clawker.managed': 'true', 'com.clawker.project': p, 'com.clawker.agent': agent },
      HostConfig: { NetworkMode: 'none' },
    })
    await c.start()
    return c
  }
  const made = await Promise.all([make(project, 'one'), make(project, 'two'), make(other, 'keep')])
  try {
    await page.goto(webApp.url)
    await expect(row(page, `${project}/one`)).toContainText('running')
    await expect(row(page, `${project}/two`)).toContainText('running')
    await agentsRegion(page).getByRole('button', { name: `Stop all agents of ${project}` }).click()
    await expect(row(page, `${project}/one`)).toContainText('stopped', { timeout: 20_000 })
    await expect(row(page, `${project}/two`)).toContainText('stopped', { timeout: 20_000 })
    await expect(row(page, `${other}/keep`)).toContainText('running')
    await expect(agentsRegion(page).getByRole('button', { name: `Stop all agents of ${project}` })).toHaveCount(0)
    await expect(page.getByRole('alert').filter({ hasText: 'exited' })).toHaveCount(0)
  } finally {
    await Promise.all(made.map((c) => c.remove({ force: true })))
  }
})

test('every agent row is one line of one height, at 1400×900 and at 1024×700, whatever its state and text', async ({ page, webApp }) => {
  const project = uniqueProject()
  const d = engine()
  // Rows of every width there is: running (more buttons) and stopped, snapshot, long image and workspace names.
  const long = `/home/someone/work/${'a-rather-long-folder-name/'.repeat(6)}project`
  const agents = [
    { agent: 'short', workdir: '/w', start: false },
    { agent: 'running-with-a-long-name', workdir: long, start: true },
    { agent: 'stopped-long', workdir: long, start: false },
    { agent: 'run', workdir: '/w', start: true },
  ]
  const made = await Promise.all(
    agents.map(async ({ agent, workdir, start }) => {
      const c = await d.createContainer({
        name: `${prefix()}.${project}.${agent}`,
        Image: agentImage(),
        Cmd: ['sleep', '600'],
        Labels: containerLabels({ ref: { project, agent }, version: 'e2e', image: `${agentImage()}-with-a-long-tag-name-for-the-row`, created: new Date(), workdir }),
        HostConfig: { NetworkMode: 'none' },
      })
      if (start) await c.start()
      return c
    }),
  )
  try {
    await page.goto(webApp.url)
    for (const size of [{ width: 1400, height: 900 }, { width: 1024, height: 700 }]) {
      await page.setViewportSize(size)
      await expect(row(page, `${project}/running-with-a-long-name`)).toContainText('running')
      await expect(row(page, `${project}/stopped-long`)).toContainText('stopped')
      const rows = agentsRegion(page).getByRole('listitem')
      const boxes = await rows.evaluateAll((els) =>
        els.map((el) => {
          const actions = el.querySelector('.agent-actions')!.getBoundingClientRect()
          const buttons = [...el.querySelectorAll('.agent-actions button')].map((b) => b.getBoundingClientRect())
          return {
            label: el.getAttribute('aria-label'),
            height: el.getBoundingClientRect().height,
            // One line: every button on the same line, none cut off by the row.
            buttonsOnOneLine: buttons.every((b) => Math.abs(b.top - buttons[0]!.top) < 1),
            buttonsWhole: buttons.every((b) => b.right <= actions.right + 0.5 && b.width >= b.height),
            // The name is cut last: it keeps its whole width, or at least 7rem, while meta text and CPU give way.
            nameShown: (() => {
              const name = el.querySelector('.agent-name')!
              const rem = parseFloat(getComputedStyle(document.documentElement).fontSize)
              return name.getBoundingClientRect().width >= Math.min(name.scrollWidth, 7 * rem) - 1
            })(),
          }
        }),
      )
      const mine = boxes.filter((b) => b.label?.startsWith(`${project}/`))
      expect(mine, `${size.width}×${size.height}`).toHaveLength(agents.length)
      expect(new Set(boxes.map((b) => b.height)), `row heights at ${size.width}×${size.height}: ${JSON.stringify(boxes)}`).toHaveProperty('size', 1)
      for (const b of boxes) expect(b, `${b.label} at ${size.width}×${size.height}`).toMatchObject({ buttonsOnOneLine: true, buttonsWhole: true, nameShown: true })
      // Nothing spills into the next row: every button in view (headings' Stop all too) is the one hit where it is drawn.
      const covered = await agentsRegion(page)
        .getByRole('list')
        .evaluate((list) => {
          const view = list.getBoundingClientRect()
          return [...list.querySelectorAll('button')].flatMap((b) => {
            const r = b.getBoundingClientRect()
            const [x, y] = [r.left + r.width / 2, r.top + r.height / 2]
            if (y < view.top || y > view.bottom) return []
            return b.contains(document.elementFromPoint(x, y)) ? [] : [b.getAttribute('aria-label') ?? b.textContent]
          })
        })
      expect(covered, `buttons covered at ${size.width}×${size.height}`).toEqual([])
    }
  } finally {
    await Promise.all(made.map((c) => c.remove({ force: true })))
  }
})
