/**
 * The real Electron window. Runs where the Electron binary is installed; on
 * machines where its download is impossible it is reported as skipped, with why.
 */
import { _electron as electron, expect, test } from '@playwright/test'
import { electronBinary } from '../scripts/electronBinary.mjs'
import { WINDOW_CHROMIUM_SWITCHES } from '../src/main/shell/chromiumSwitches'

const binary = electronBinary()
const SKIP_REASON =
  'Electron binary not installed (its download is blocked on this machine); the window is tested in Chromium through the browser mode instead'
// Playwright's list shows a skip without its reason: say it in the output too.
if (!binary) console.log(`[e2e] Electron window test skipped: ${SKIP_REASON}`)

test.describe('Electron window', () => {
  test.skip(!binary, SKIP_REASON)

  test('opens one secure window that shows the engine status', async () => {
    const app = await electron.launch({
      executablePath: binary!,
      args: ['.'],
      env: { ...process.env, DOCKER_HOST: process.env.E2E_DOCKER_HOST ?? '', CLAWKER_NAME_PREFIX: process.env.E2E_NAME_PREFIX ?? '' },
    })
    try {
      const page = await app.firstWindow()
      await expect(page.getByRole('status', { name: 'Engine status' })).toContainText(/Docker|No Docker/)
      // Isolated and without Node: the page sees the contract's bridge and nothing else.
      const exposed = await page.evaluate(() => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        bridge: Object.keys((window as unknown as { clawker: object }).clawker).sort(),
      }))
      expect(exposed).toEqual({ require: 'undefined', process: 'undefined', bridge: ['invoke', 'on', 'transport'] })
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
      // The window's Chromium has the switches the terminal's echo needs (the benchmark's terminal-echo-window).
      for (const [name, value] of WINDOW_CHROMIUM_SWITCHES) {
        expect(await app.evaluate(({ app: a }, n) => a.commandLine.getSwitchValue(n), name)).toBe(value)
      }
    } finally {
      await app.close()
    }
  })
})
