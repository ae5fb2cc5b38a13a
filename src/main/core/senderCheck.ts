/** Whether an IPC call may be answered: only from the top frame of our own window showing our own page. */
export function senderAllowed(opts: { frameUrl: string | undefined; rendererUrl: string; isTopFrame: boolean; ownWindow: boolean }): boolean {
  if (!opts.frameUrl || !opts.isTopFrame || !opts.ownWindow) return false
  let actual: URL
  let expected: URL
  try {
    actual = new URL(opts.frameUrl)
    expected = new URL(opts.rendererUrl)
  } catch {
    return false
  }
  // A file:// page is ours only if it is our index.html; an http(s) page (the dev server) by its origin.
  return expected.protocol === 'file:'
    ? actual.protocol === 'file:' && actual.pathname === expected.pathname
    : actual.origin === expected.origin
}
