import { useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { EngineInfo } from '../../../shared/contract'
import { ClawkerError } from '../../../shared/errors'
import { call } from '../api'
import { countdown } from '../format'
import { useEngineLogins, useEngines } from '../queries'
import { ErrorLine } from './ErrorLine'
import { Panel } from './Panel'

function statusText(e: EngineInfo): { text: string; tone: 'ok' | 'bad' | 'wait' } {
  if (e.status.state === 'connected') return { text: `connected · Docker ${e.status.version}`, tone: 'ok' }
  if (e.status.state === 'connecting') return { text: 'connecting…', tone: 'wait' }
  const reason = e.status.tried[0]?.error ?? 'no address'
  return { text: `not reachable: ${reason} (Clawker keeps trying)`, tone: 'bad' }
}

/** Adds a remote engine by address or by docker context. */
function AddEngine() {
  const contexts = useQuery({ queryKey: ['engines.contexts'], queryFn: () => call('engines.contexts', {}) })
  const [name, setName] = useState('')
  const [where, setWhere] = useState('')
  const [error, setError] = useState<{ field?: string; message: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const context = where.startsWith('context:') ? where.slice('context:'.length) : undefined
    try {
      await call('engines.add', { name: name.trim(), ...(context ? { context } : { host: where.trim() }) })
      setName('')
      setWhere('')
    } catch (err) {
      setError(err instanceof ClawkerError ? { ...(err.field ? { field: err.field } : {}), message: err.message } : { message: String(err) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="add-engine" onSubmit={submit} aria-label="Add an engine">
      <label>
        Name <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={error?.field === 'name'} placeholder="buildbox" />
      </label>
      <label>
        Address or context{' '}
        <input list="engine-contexts" value={where} onChange={(e) => setWhere(e.target.value)} aria-invalid={error?.field === 'host'} placeholder="ssh://me@buildbox" />
      </label>
      <datalist id="engine-contexts">
        {(contexts.data ?? []).map((c) => (
          <option key={c.name} value={`context:${c.name}`}>
            {c.name} — {c.host}
          </option>
        ))}
      </datalist>
      <button type="submit" disabled={busy || !name.trim() || !where.trim()} aria-busy={busy}>
        Add engine
      </button>
      {error ? (
        <p role="alert" className="error">
          {error.message}
        </p>
      ) : null}
    </form>
  )
}

/**
 * Every engine the app talks to: its state (with the reason when it cannot be reached), its
 * shared login, and whether that login is kept in step with the others'.
 */
export function EnginesPanel() {
  const engines = useEngines(true)
  const several = (engines.data?.length ?? 0) > 1
  const logins = useEngineLogins(several)
  const [error, setError] = useState<string | null>(null)
  const act = (run: () => Promise<unknown>) => {
    setError(null)
    run().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
  }
  const [now] = useState(() => Date.now())
  return (
    <Panel id="engines" title="Engines" className="engines-panel" busy={engines.isLoading} error={engines.error}>
      <ul className="engine-list">
        {(engines.data ?? []).map((e) => {
          const s = statusText(e)
          const login = logins.data?.find((l) => l.engine === e.id)?.login
          return (
            <li key={e.id} aria-label={`${e.name}: ${s.text}`}>
              <span className={`status-dot status-${s.tone}`} aria-hidden="true" /> <strong>{e.name}</strong>
              {e.host ? <code> {e.host}</code> : null} <span className={s.tone === 'bad' ? 'error' : 'muted'}>{s.text}</span>
              {several ? (
                <div className="engine-login">
                  <span className="muted">
                    Shared login: {login?.login === 'usable' && login.expiresAt ? `expires in ${countdown(login.expiresAt, now)}` : login ? 'none usable' : 'none yet'}
                  </span>{' '}
                  <label className="check">
                    <input type="checkbox" checked={e.syncLogin} onChange={(ev) => act(() => call('engines.setLoginSync', { id: e.id, syncLogin: ev.target.checked }))} /> keep
                    in step with the other engines
                  </label>
                </div>
              ) : null}
              {e.remote ? (
                <button type="button" className="link-button" onClick={() => act(() => call('engines.remove', { id: e.id }))} aria-label={`Remove the engine ${e.name}`}>
                  Remove
                </button>
              ) : null}
            </li>
          )
        })}
      </ul>
      <ErrorLine error={error} />
      <AddEngine />
    </Panel>
  )
}
