/**
 * The last resort of both entries: an error that nothing else caught (an event
 * handler of a library, a stream without a listener) is logged, with tokens and
 * credentials taken out, and the app keeps serving. Requests still get their
 * typed errors from dispatch; this only keeps one stray error from ending the
 * process and every agent's terminal with it.
 */
const CREDENTIAL = /sk-ant-[A-Za-z0-9_-]+/g

export function redact(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 8).reduce((t, s) => t.split(s).join('[token]'), text).replace(CREDENTIAL, 'sk-ant-[redacted]')
}

export function lastResortHandler(log: (line: string) => void, secrets: () => string[]): (error: unknown) => void {
  return (error) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
    log(`Clawker Desktop: an unexpected error was caught, and the app goes on: ${redact(text, secrets())}`)
  }
}

/** Installs the handler for uncaught exceptions and unhandled rejections; returns its removal. */
export function installLastResort(secrets: () => string[] = () => [], log: (line: string) => void = (l) => console.error(l)): () => void {
  const handler = lastResortHandler(log, secrets)
  process.on('uncaughtException', handler)
  process.on('unhandledRejection', handler)
  return () => {
    process.off('uncaughtException', handler)
    process.off('unhandledRejection', handler)
  }
}
