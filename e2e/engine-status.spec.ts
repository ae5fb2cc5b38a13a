import { connect, createServer } from 'node:net'
import WebSocket from 'ws'
import { expect, startWebApp, test } from './support/webApp'

test('shows the engine it found, with version and socket', async ({ page, webApp }) => {
  await page.goto(webApp.url)
  const status = page.getByRole('status', { name: 'Engine status' })
  await expect(status).toContainText(/Docker \d+\.\d+/)
  await expect(status).toContainText(process.env.E2E_DOCKER_HOST!)
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('says what was tried and how to fix it when no engine answers, without crashing', async ({ page }) => {
  const app = await startWebApp({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' })
  try {
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(app.url)
    const alert = page.getByRole('alert')
    await expect(alert).toContainText('Docker is not running')
    await expect(alert).toContainText('unix:///nonexistent/docker.sock')
    await expect(alert).toContainText('DOCKER_HOST')
    await expect(page.getByRole('status', { name: 'Engine status' })).toContainText('No Docker engine answers')
    expect(errors).toEqual([])
    expect(app.output()).not.toMatch(/unhandled|TypeError/i)
  } finally {
    await app.stop()
  }
})

test('the page holds no secret and sets no cookie; without the token it says how to get in', async ({ page, webApp, request }) => {
  const bare = await request.get(`${webApp.origin}/`)
  expect(bare.status()).toBe(200)
  expect(bare.headers()['set-cookie']).toBeUndefined()
  expect(bare.headers()['content-security-policy']).toContain("script-src 'self'")
  expect(await bare.text()).not.toContain(webApp.token)
  // DNS rebinding: another site's name resolved to 127.0.0.1 is refused by its Host header.
  const rebound = await request.get(`${webApp.origin}/`, { headers: { Host: `evil.example:${webApp.port}` } })
  expect(rebound.status()).toBe(403)
  await page.goto(`${webApp.origin}/`)
  await expect(page.getByRole('alert')).toHaveText('Not authorised: open the address printed when the app started (it carries the token).', { timeout: 10_000 })
})

test('keeps the token for the tab: out of the address bar, through a reload', async ({ page, webApp }) => {
  await page.goto(webApp.url)
  const status = page.getByRole('status', { name: 'Engine status' })
  await expect(status).toContainText(/Docker \d+\.\d+/)
  expect(page.url()).not.toContain(webApp.token)
  await page.reload()
  await expect(status).toContainText(/Docker \d+\.\d+/)
  expect((await page.context().cookies()).length).toBe(0)
})

test('works through a forwarded port, as over `ssh -L`', async ({ page, webApp }) => {
  // A TCP forwarder on another loopback port stands in for the SSH tunnel.
  const forwarder = createServer((client) => {
    const upstream = connect(webApp.port, '127.0.0.1')
    client.pipe(upstream).pipe(client)
    const end = () => (client.destroy(), upstream.destroy())
    client.on('error', end)
    upstream.on('error', end)
  })
  await new Promise<void>((r) => forwarder.listen(0, '127.0.0.1', r))
  const port = (forwarder.address() as { port: number }).port
  try {
    await page.goto(`http://localhost:${port}/?token=${webApp.token}`)
    await expect(page.getByRole('status', { name: 'Engine status' })).toContainText(/Docker \d+\.\d+/)
    await expect(page.getByRole('region', { name: 'Agents' })).toBeVisible()
  } finally {
    forwarder.close()
  }
})

/** Opens a socket and reports the HTTP status of a refused upgrade, or 101 when it opened. */
function socketStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {})
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => resolve(0))
  })
}

test('refuses a socket without the token or from another site, and takes one from a loopback page on any port', async ({ webApp }) => {
  const base = `ws://127.0.0.1:${webApp.port}/ws`
  expect(await socketStatus(base, webApp.origin)).toBe(403)
  expect(await socketStatus(`${base}?token=wrong`, webApp.origin)).toBe(403)
  expect(await socketStatus(`${base}?token=${webApp.token}`, 'http://evil.example')).toBe(403)
  expect(await socketStatus(`${base}?token=${webApp.token}`, 'http://localhost:8899')).toBe(101)
  expect(await socketStatus(`${base}?token=${webApp.token}`)).toBe(403)
  expect(await socketStatus(`${base}?token=${webApp.token}`, webApp.origin)).toBe(101)
})
