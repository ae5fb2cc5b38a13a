/** The first screen: the agent list is asked for before the credential read, which at many agents keeps the engine busy for seconds. */
import { expect, test } from './support/webApp'

test('the agent list is asked for at load, and the credential state only after the list arrived', async ({ page, webApp }) => {
  const order: string[] = []
  const channels = new Map<number, string>()
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      const m = JSON.parse(String(f.payload)) as { type: string; id: number; channel: string }
      if (m.type !== 'invoke') return
      channels.set(m.id, m.channel)
      order.push(`sent ${m.channel}`)
    })
    ws.on('framereceived', (f) => {
      const m = JSON.parse(String(f.payload)) as { type: string; id: number }
      if (m.type === 'result') order.push(`result ${channels.get(m.id)}`)
    })
  })
  await page.goto(webApp.url)
  await expect.poll(() => order.includes('sent credentials.state')).toBe(true)
  expect(order.indexOf('result agents.list')).toBeGreaterThan(-1)
  expect(order.indexOf('result agents.list')).toBeLessThan(order.indexOf('sent credentials.state'))
  // The list is asked for at load, beside the engine's status, not one round trip after it.
  expect(order.indexOf('sent agents.list')).toBeLessThan(order.indexOf('result engine.status'))
})
