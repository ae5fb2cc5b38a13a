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

test('refuses a page request without the token', async ({ webApp, request }) => {
  const bare = await request.get(`${webApp.origin}/`)
  expect(bare.status()).toBe(403)
  const wrong = await request.get(`${webApp.origin}/?token=not-the-token`)
  expect(wrong.status()).toBe(403)
  const asset = await request.get(`${webApp.origin}/assets/`)
  expect(asset.status()).toBe(403)
  const good = await request.get(webApp.url)
  expect(good.status()).toBe(200)
  expect(good.headers()['content-security-policy']).toContain("script-src 'self'")
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

test('refuses a socket without the token or from another origin', async ({ webApp }) => {
  const base = `ws://127.0.0.1:${webApp.port}/ws`
  expect(await socketStatus(base, webApp.origin)).toBe(403)
  expect(await socketStatus(`${base}?token=wrong`, webApp.origin)).toBe(403)
  expect(await socketStatus(`${base}?token=${webApp.token}`, 'http://evil.example')).toBe(403)
  expect(await socketStatus(`${base}?token=${webApp.token}`)).toBe(403)
  expect(await socketStatus(`${base}?token=${webApp.token}`, webApp.origin)).toBe(101)
})
