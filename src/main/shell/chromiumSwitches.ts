/**
 * Switches the shell gives its Chromium before the app is ready (no Electron import here, so the
 * benchmark can start a Chromium with the same ones).
 *
 * After a key press Chromium defers every task that is neither input nor rendering until the
 * next frame is drawn (DeferRendererTasksAfterInput, on by default). A terminal's echo is such a
 * task: it waits for that frame and is drawn one frame later, two frames after the key (p95
 * 35 ms at 60 Hz in terminal-echo-page). In a terminal the echo is the response to the key, so
 * the window turns the deferral off and the echo is drawn in the first frame it can be.
 */
export const WINDOW_CHROMIUM_SWITCHES: ReadonlyArray<readonly [name: string, value: string]> = [['disable-features', 'DeferRendererTasksAfterInput']]

/** The same switches as command-line arguments. */
export function windowChromiumArgs(): string[] {
  return WINDOW_CHROMIUM_SWITCHES.map(([name, value]) => `--${name}=${value}`)
}
