/**
 * What Docker Desktop and Podman Desktop users expect of the agents list, against
 * the real engine: a filter, Start/Stop/Remove for a selection, and each running
 * agent's CPU and memory from the engine's stats stream.
 */
import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { expect, test } from './support/webApp'
import { agentImage, dockerCli, engine, prefix } from './support/docker'

const uniqueProject = () => `e2e${randomBytes(3).toString('hex')}`
const agentsRegion = (page: Page) => page.getByRole('region', { name: 'Agents' })
/** An agent's row by its accessible name ("project/agent, state"): exact, so alpha is not alphabet. */
const row = (page: Page, label: string) => agentsRegion(page).getByRole('listitem', { name: new RegExp(`^${label},`) })

/** Agents made outside the app, as the clawker CLI names and labels them; `running` ones end at once on SIGTERM. */
async function makeAgents(project: string, agents: Array<[string, 'running' | 'stopped' | 'broken']>) {
  const d = engine()
  return Promise.all(
    agents.map(async ([agent, state]) => {
      const c = await d.createContainer({
        name: `${prefix()}.${project}.${agent}`,
        Image: agentImage(),
        // A broken one cannot start: its program is not in the image.
        Entrypoint: state === 'broken' ? ['/no-such-program'] : ['sh', '-c', 'trap "exit 143" TERM; while :; do sleep 1; done'],
        Labels: { 'com.clawker.managed': 'true', 'com.clawker.project': project, 'com.clawker.agent': agent },
        HostConfig: { NetworkMode: 'none' },
      })
      if (state === 'running') await c.start()
      return c
    }),
  )
}

async function removeAll(project: string) {
  const all = await engine().listContainers({ all: true })
  const mine = all.filter((c) => c.Names.some((n) => n.startsWith(`/${prefix()}.${project}.`)))
  await Promise.all(mine.map((c) => engine().getContainer(c.Id).remove({ force: true }).catch(() => {})))
}

test('the filter matches name, project and state; an empty result says so and clears', async ({ page, webApp }) => {
  const [first, second] = [uniqueProject(), uniqueProject()]
  await makeAgents(first!, [['alpha', 'running'], ['beta', 'stopped']])
  await makeAgents(second!, [['alphabet', 'stopped']])
  try {
    await page.goto(webApp.url)
    const list = agentsRegion(page)
    await expect(row(page, `${first}/alpha`)).toContainText('running')
    const filter = list.getByLabel('Filter agents')

    // By project: the other project's heading and agents go.
    await filter.fill(first!)
    await expect(row(page, `${first}/alpha`)).toBeVisible()
    await expect(row(page, `${first}/beta`)).toBeVisible()
    await expect(list.getByRole('heading', { name: second })).toHaveCount(0)
    await expect(row(page, `${second}/alphabet`)).toHaveCount(0)

    // By state, and every word must match.
    await filter.fill(`${first} running`)
    await expect(row(page, `${first}/alpha`)).toBeVisible()
    await expect(row(page, `${first}/beta`)).toHaveCount(0)
    await expect(list.getByRole('heading', { name: first })).toContainText('· 1')

    // By name: alpha and alphabet, across both projects.
    await filter.fill('alpha')
    await expect(row(page, `${first}/alpha`)).toBeVisible()
    await expect(row(page, `${second}/alphabet`)).toBeVisible()
    await expect(row(page, `${first}/beta`)).toHaveCount(0)

    await filter.fill(`${first} zzz`)
    await expect(list.getByText(`No agents match ${first} zzz`)).toBeVisible()
    await list.getByRole('button', { name: 'Clear', exact: true }).click()
    await expect(filter).toHaveValue('')
    await expect(row(page, `${second}/alphabet`)).toBeVisible()

    // Escape in the box clears it.
    await filter.fill(second!)
    await expect(row(page, `${first}/alpha`)).toHaveCount(0)
    await filter.press('Escape')
    await expect(filter).toHaveValue('')
    await expect(row(page, `${first}/alpha`)).toBeVisible()
  } finally {
    await Promise.all([removeAll(first!), removeAll(second!)])
  }
})

test('a selection is stopped, started and removed as one, follows events and drops gone agents', async ({ page, webApp }) => {
  const project = uniqueProject()
  await makeAgents(project, [['one', 'running'], ['two', 'running'], ['three', 'stopped'], ['gone', 'stopped']])
  try {
    await page.goto(webApp.url)
    const list = agentsRegion(page)
    await list.getByLabel('Filter agents').fill(project)
    await expect(row(page, `${project}/one`)).toContainText('running')
    await expect(list.getByRole('region', { name: 'Selected agents' })).toHaveCount(0)

    await list.getByLabel('Select all shown').check()
    const bar = list.getByRole('region', { name: 'Selected agents' })
    await expect(bar).toContainText('4 selected')
    await list.getByLabel(`Select ${project}/three`).uncheck()
    await expect(bar).toContainText('3 selected')
    await expect(list.getByLabel('Select all shown')).not.toBeChecked()
    await list.getByLabel(`Select ${project}/three`).check()

    // An agent removed outside the app leaves the selection.
    await dockerCli('rm', '-f', `${prefix()}.${project}.gone`)
    await expect(row(page, `${project}/gone`)).toHaveCount(0)
    await expect(bar).toContainText('3 selected')

    // Stop: the ones asked to stop show "stopped", with no crash toast; the selection survives the events.
    await bar.getByRole('button', { name: 'Stop the selected agents' }).click()
    await expect(row(page, `${project}/one`)).toContainText('stopped')
    await expect(row(page, `${project}/two`)).toContainText('stopped')
    await expect(row(page, `${project}/one`)).not.toContainText('exited')
    await expect(page.getByText(/exited with code/)).toHaveCount(0)
    await expect(bar).toContainText('3 selected')

    await bar.getByRole('button', { name: 'Start the selected agents' }).click()
    for (const a of ['one', 'two', 'three']) await expect(row(page, `${project}/${a}`)).toContainText('running')

    // Remove asks once, naming them and how many the filter hides, and offering the volumes.
    await list.getByLabel('Filter agents').fill(`${project}/one`)
    await expect(row(page, `${project}/two`)).toHaveCount(0)
    await bar.getByRole('button', { name: 'Remove the selected agents…' }).click()
    const confirm = page.getByRole('dialog', { name: 'Remove 3 agents?' })
    await expect(confirm).toContainText('3 running are stopped first')
    await expect(confirm.getByRole('list', { name: 'Agents to remove' }).getByRole('listitem')).toHaveText([`${project}/one`, `${project}/three`, `${project}/two`])
    await expect(confirm.getByRole('note')).toHaveText('2 of them are not shown: the filter hides them.')
    await expect(confirm).toContainText(`The shared login volume (${prefix()}-globals) is never removed here.`)
    await confirm.getByLabel("Also remove these agents' volumes (config, history, workspace)").check()
    await confirm.getByRole('button', { name: 'Remove 3 agents' }).click()
    await expect(confirm).toBeHidden()
    for (const a of ['one', 'two', 'three']) await expect(row(page, `${project}/${a}`)).toHaveCount(0)
    await expect(bar).toHaveCount(0)
    // The bar went with the agents: the keyboard is in the filter (New agent when no agent is left), not lost on the page.
    await expect(page.locator(':focus')).toHaveAccessibleName(/^(Filter agents|New agent)$/)
    await expect(page.getByText(/exited with code/)).toHaveCount(0)
    expect((await engine().listContainers({ all: true })).filter((c) => c.Names.some((n) => n.startsWith(`/${prefix()}.${project}.`)))).toEqual([])
  } finally {
    await removeAll(project)
  }
})

test('an agent of the selection that fails is named with its error; the others are done', async ({ page, webApp }) => {
  const project = uniqueProject()
  await makeAgents(project, [['fine', 'stopped'], ['broken', 'broken']])
  try {
    await page.goto(webApp.url)
    const list = agentsRegion(page)
    await list.getByLabel('Filter agents').fill(project)
    await expect(row(page, `${project}/broken`)).toBeVisible()
    await list.getByLabel('Select all shown').check()
    const bar = list.getByRole('region', { name: 'Selected agents' })
    await bar.getByRole('button', { name: 'Start the selected agents' }).click()
    await expect(row(page, `${project}/fine`)).toContainText('running')
    await expect(bar.getByRole('alert')).toContainText(`${project}/broken:`)
    await expect(bar.getByRole('alert')).not.toContainText(`${project}/fine`)
  } finally {
    await removeAll(project)
  }
})

test('a running agent shows its CPU and memory from the stats stream; a stopped one none', async ({ page, webApp }) => {
  const project = uniqueProject()
  await makeAgents(project, [['busy', 'running'], ['idle', 'stopped']])
  try {
    // The samples the page receives over its socket: they stop when the row is no longer shown.
    const frames: string[] = []
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))))
    const busySamples = () => frames.filter((f) => f.includes('"event":"agents.stats"') && f.includes('"agent":"busy"')).length
    await page.goto(webApp.url)
    const filter = agentsRegion(page).getByLabel('Filter agents')
    await filter.fill(project)
    const busy = row(page, `${project}/busy`)
    const stats = busy.getByRole('img', { name: /^CPU (<1|\d+) percent, memory \d+ (KB|MB|GB)/ })
    await expect(stats).toBeVisible({ timeout: 10_000 })
    await expect(busy).toContainText(/CPU (<1|\d+)% · \d+ (KB|MB|GB)/)
    await expect(row(page, `${project}/idle`)).toContainText('stopped')
    await expect(row(page, `${project}/idle`).getByRole('img', { name: /CPU/ })).toHaveCount(0)

    // Its row hidden (filtered out), its stream closes: no more samples (Docker sends one a second).
    await filter.fill(`${project}/idle`)
    await expect(busy).toHaveCount(0)
    await page.waitForTimeout(1000)
    const seen = busySamples()
    await page.waitForTimeout(2500)
    expect(busySamples()).toBe(seen)
    // Shown again, streamed again.
    await filter.fill(project)
    await expect.poll(busySamples, { timeout: 10_000 }).toBeGreaterThan(seen)
    await expect(stats).toBeVisible()

    // Once stopped, its numbers go.
    await busy.getByRole('button', { name: 'Stop', exact: true }).click()
    await expect(busy).toContainText('stopped')
    await expect(busy.getByRole('img', { name: /CPU/ })).toHaveCount(0)
  } finally {
    await removeAll(project)
  }
})

test("CPU and memory come back after the page's socket drops and reconnects", async ({ page, webApp }) => {
  const project = uniqueProject()
  await makeAgents(project, [['busy', 'running']])
  try {
    // The page's socket goes through a route that can drop it, as a sleep or a network change would.
    const sockets: Array<{ close(): Promise<void> }> = []
    let samples = 0
    await page.routeWebSocket(/\/ws/, (ws) => {
      const server = ws.connectToServer()
      ws.onMessage((m) => server.send(m))
      server.onMessage((m) => {
        if (String(m).includes('"event":"agents.stats"')) samples++
        ws.send(m)
      })
      sockets.push(ws)
    })
    await page.goto(webApp.url)
    await agentsRegion(page).getByLabel('Filter agents').fill(project)
    await expect.poll(() => samples, { timeout: 10_000 }).toBeGreaterThan(0)
    await sockets.at(-1)!.close()
    // Main released the streams with the old socket; the page asks again on the new one.
    await expect.poll(() => sockets.length, { timeout: 10_000 }).toBe(2)
    const before = samples
    await expect.poll(() => samples, { timeout: 10_000 }).toBeGreaterThan(before)
    await expect(row(page, `${project}/busy`).getByRole('img', { name: /^CPU/ })).toBeVisible()
  } finally {
    await removeAll(project)
  }
})
