/**
 * The browser's own part of an echo: a page with nothing but a text field and a WebSocket to
 * a server that answers each key at once. Keydown to the frame that draws the answer, timed
 * as the terminal echo cases are. No app, no xterm, no engine: what this Chromium on this
 * machine takes for any networked echo, the baseline of terminal-echo-page and -window.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { Browser } from '@playwright/test'

const PAGE = `<!doctype html><meta charset="utf-8"><title>echo</title>
<input id="k" aria-label="keys"><p id="out"></p>
<script>
  const times = []; window.__times = times
  let down = 0
  const ws = new WebSocket('ws://' + location.host + '/')
  ws.onmessage = (e) => {
    document.getElementById('out').textContent = e.data
    requestAnimationFrame(() => times.push(performance.now() - down))
  }
  document.getElementById('k').addEventListener('keydown', (e) => { down = e.timeStamp; ws.send(e.key) })
</script>`

/** `count` keys, each once the one before has come back (as the terminal echo cases press them). */
export async function bareEchoTimes(browser: Browser, count: number): Promise<number[]> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(PAGE)
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo ${m.toString()}`)))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const page = await browser.newPage()
  try {
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    await page.waitForFunction(() => document.readyState === 'complete')
    await page.locator('#k').click()
    // The socket is open once a first key comes back; that one is not counted.
    await page.keyboard.press('a')
    await page.waitForFunction(() => (window as unknown as { __times: number[] }).__times.length === 1, undefined, { polling: 'raf' })
    for (let i = 0; i < count; i++) {
      await page.keyboard.press(String.fromCharCode(97 + (i % 26)))
      await page.waitForFunction((n) => (window as unknown as { __times: number[] }).__times.length === n, i + 2, { polling: 'raf' })
    }
    return (await page.evaluate(() => (window as unknown as { __times: number[] }).__times)).slice(1)
  } finally {
    await page.close()
    for (const c of wss.clients) c.terminate()
    wss.close()
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  }
}
