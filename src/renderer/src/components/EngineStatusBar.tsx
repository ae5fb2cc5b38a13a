import type { EngineStatus } from '../../../shared/contract'

/** One line at the bottom of the window: which engine, its version and socket. */
export function EngineStatusBar({ status }: { status: EngineStatus | undefined }) {
  let text: string
  let tone: 'ok' | 'bad' | 'wait'
  if (!status || status.state === 'connecting') {
    text = 'Looking for a Docker engine…'
    tone = 'wait'
  } else if (status.state === 'connected') {
    text = `Docker ${status.version} (API ${status.apiVersion}, ${status.os}/${status.arch}) · ${status.source} · ${status.host}`
    tone = 'ok'
  } else {
    text = 'No Docker engine answers'
    tone = 'bad'
  }
  return (
    <footer className={`status-bar status-${tone}`} role="status" aria-label="Engine status" aria-live="polite">
      <span className="status-dot" aria-hidden="true" />
      {text}
    </footer>
  )
}

/** The whole-window message when no engine answers: what was tried, and how to fix it. */
export function EngineUnavailable({ status }: { status: Extract<EngineStatus, { state: 'unavailable' }> }) {
  return (
    <section className="engine-unavailable" role="alert" aria-labelledby="engine-unavailable-title">
      <h2 id="engine-unavailable-title">Docker is not running</h2>
      <p>{status.hint}</p>
      <p>Clawker tried:</p>
      <ul>
        {status.tried.map((t) => (
          <li key={`${t.source}-${t.host}`}>
            <strong>{t.source}</strong> <code>{t.host}</code>: {t.error}
          </li>
        ))}
      </ul>
      <p>This page updates by itself when an engine answers.</p>
    </section>
  )
}
