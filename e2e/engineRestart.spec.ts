/**
 * The engine stops while the app runs: the window says so within 2 s and comes
 * back by itself when the engine does, with no error on the page. Needs an
 * engine of its own to stop, so it runs where the harness may start a dockerd.
 */
import { canStartPrivateDockerd, startPrivateDockerd } from '../test/harness/engine'
import { expect, startWebApp, test } from './support/webApp'

test('the window follows the engine going away and coming back', async ({ page }) => {
  test.skip(!canStartPrivateDockerd(), 'needs root on Linux with dockerd installed, to stop and start an engine of its own')
  test.setTimeout(120_000)
  const engine = await startPrivateDockerd()
  const dir = engine.dockerHost.replace(/^unix:\/\//, '').replace(/\/docker\.sock$/, '')
  const app = await startWebApp({ DOCKER_HOST: engine.dockerHost })
  let again: Awaited<ReturnType<typeof startPrivateDockerd>> | undefined
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  try {
    await page.goto(app.url)
    const status = page.getByRole('status', { name: 'Engine status' })
    await expect(status).toContainText(engine.dockerHost)
    const stopping = engine.stop({ keepDir: true })
    const t0 = Date.now()
    await expect(page.getByRole('alert')).toContainText('Docker is not running', { timeout: 2000 })
    expect(Date.now() - t0).toBeLessThan(2000)
    await stopping
    again = await startPrivateDockerd(dir)
    await expect(status).toContainText(engine.dockerHost, { timeout: 15_000 })
    await expect(page.getByRole('region', { name: 'Agents' })).toBeVisible()
    expect(errors).toEqual([])
    expect(app.output()).not.toMatch(/Unhandled|TypeError|ReferenceError/)
  } finally {
    await app.stop()
    await (again ?? engine).stop()
  }
})
