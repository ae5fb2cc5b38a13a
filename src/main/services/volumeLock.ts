/**
 * One at a time: reading volumes through the helper container, and removing
 * volumes. Docker mounts a volume by name and creates it when it is missing, so
 * a read racing a removal would bring the removed volume back, unlabelled.
 * (Another program removing volumes meanwhile is not covered by an in-process lock.)
 */
let tail: Promise<unknown> = Promise.resolve()

export function withVolumeLock<T>(fn: () => Promise<T>): Promise<T> {
  const run = tail.then(fn, fn)
  tail = run.catch(() => {})
  return run
}
