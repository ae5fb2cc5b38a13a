/**
 * Probes that run inside the page, on Chromium's performance timeline: what the
 * person sees, not what the socket carries. Terminal probes watch xterm's DOM
 * renderer write its rows (a MutationObserver fires in the same frame as xterm's
 * render), so no hook into the app is needed.
 */
import type { Locator, Page } from '@playwright/test'

type W = Window & {
  __benchRows?: Array<{ label: string; at: number }>
  __benchKeydown?: number
  __benchSeen?: number
}

/** Records every agent row's label change with the wall-clock time of the frame that draws it. */
export async function watchRowLabels(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as W
    w.__benchRows = []
    const list = document.querySelector('[aria-label="Agents by project"]')!
    const last = new Map<string, string>()
    const scan = () => {
      for (const el of list.querySelectorAll('[role=listitem]')) {
        const label = el.getAttribute('aria-label') ?? ''
        const key = label.split(', ')[0]!
        if (last.get(key) === label) continue
        last.set(key, label)
        requestAnimationFrame(() => w.__benchRows!.push({ label, at: performance.timeOrigin + performance.now() }))
      }
    }
    scan()
    new MutationObserver(scan).observe(list, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] })
  })
}

/** The wall-clock time a row label starting with `prefix` was drawn at or after `after` (epoch ms). */
export async function rowDrawnAfter(page: Page, prefix: string, after: number, timeout = 10_000): Promise<number> {
  const h = await page
    .waitForFunction(
      ([p, a]) => (window as W).__benchRows!.find((r) => r.label.startsWith(p as string) && r.at >= (a as number))?.at,
      [prefix, after] as const,
      { timeout, polling: 10 },
    )
    .catch(async (e: Error) => {
      const seen = await page.evaluate(() => (window as W).__benchRows!.slice(-6))
      throw new Error(`${e.message}\nno row "${prefix}…" drawn after ${after}; last labels drawn: ${JSON.stringify(seen)}`)
    })
  return (await h.jsonValue()) as number
}

/**
 * Arms a watch on the terminal's rows: the next keydown's timestamp, and the
 * time xterm has drawn rows containing `expected`.
 */
export async function armTerminalWatch(panel: Locator, expected: string): Promise<void> {
  await panel.locator('.xterm-rows').evaluate((rows, exp) => {
    const w = window as W
    w.__benchKeydown = undefined
    w.__benchSeen = undefined
    const onKey = (e: KeyboardEvent) => {
      if (w.__benchKeydown === undefined) w.__benchKeydown = e.timeStamp
    }
    document.addEventListener('keydown', onKey, { capture: true, once: true })
    const seen = () => {
      if (w.__benchSeen === undefined && w.__benchKeydown !== undefined && (rows.textContent ?? '').includes(exp)) {
        w.__benchSeen = performance.now()
        observer.disconnect()
      }
    }
    const observer = new MutationObserver(seen)
    observer.observe(rows, { subtree: true, childList: true, characterData: true })
  }, expected)
}

/** Waits for the armed watch; returns the keydown-to-drawn time in ms. */
export async function terminalWatchResult(page: Page, timeout: number): Promise<number> {
  const h = await page.waitForFunction(
    () => {
      const w = window as W
      return w.__benchSeen !== undefined && w.__benchKeydown !== undefined ? w.__benchSeen - w.__benchKeydown : undefined
    },
    undefined,
    { timeout, polling: 'raf' },
  )
  return (await h.jsonValue()) as number
}

/**
 * Scrolls the agent list from top to bottom, `step` px a frame, and returns the
 * frame times (differences of successive animation-frame timestamps) and the
 * long animation frames Chromium reported meanwhile.
 */
export async function scrollWholeList(page: Page, step: number): Promise<{ frames: number[]; longFrames: number; height: number }> {
  return page.evaluate(async (px) => {
    const el = document.querySelector('[aria-label="Agents by project"]') as HTMLElement
    el.scrollTop = 0
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
    let longFrames = 0
    const po = new PerformanceObserver((list) => {
      longFrames += list.getEntries().length
    })
    try {
      po.observe({ type: 'long-animation-frame' })
    } catch {
      /* older Chromium: frame times alone */
    }
    const frames: number[] = []
    await new Promise<void>((resolve) => {
      let last: number | undefined
      const tick = (t: number) => {
        if (last !== undefined) frames.push(t - last)
        last = t
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return resolve()
        el.scrollTop += px
        requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    })
    po.disconnect()
    return { frames, longFrames, height: el.scrollHeight }
  }, step)
}

/**
 * Before the page loads: records the frame (ms since navigation start, Chromium's timeline) in
 * which a row whose label starts with `rowPrefix` and an enabled New agent button are both on
 * screen, the first screen a person can use. Read it with `firstScreenDrawn`.
 */
export async function watchFirstScreen(page: Page, rowPrefix: string): Promise<void> {
  await page.addInitScript((prefix: string) => {
    const w = window as W & { __benchFirstScreen?: number }
    const ready = () =>
      [...document.querySelectorAll('[role=listitem]')].some((el) => (el.getAttribute('aria-label') ?? '').startsWith(prefix)) &&
      [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'New agent' && !b.disabled)
    const observer = new MutationObserver(() => {
      if (!ready()) return
      observer.disconnect()
      requestAnimationFrame((t) => (w.__benchFirstScreen = t))
    })
    observer.observe(document, { subtree: true, childList: true, attributes: true })
  }, rowPrefix)
}

/** The time `watchFirstScreen` recorded, once the frame is drawn. */
export async function firstScreenDrawn(page: Page): Promise<number> {
  const h = await page.waitForFunction(() => (window as W & { __benchFirstScreen?: number }).__benchFirstScreen, undefined, { polling: 'raf' })
  return (await h.jsonValue()) as number
}
