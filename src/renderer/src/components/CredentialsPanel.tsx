import { useEffect, useState } from 'react'
import type { CredentialState } from '../../../shared/contract'
import { agentLabel, countdown } from '../format'
import { Panel } from './Panel'

type FileInfo = NonNullable<CredentialState['global']>

/** Each link state in plain words: what it means, then what to do (nothing, when nothing is needed). */
const LINK_TEXT: Record<CredentialState['agents'][number]['linkState'], string> = {
  linked: 'uses the shared login',
  'waiting-to-migrate': 'has its own login, not shared yet: start it, or use Share login…',
  none: 'not logged in: log in inside it, or use Share login…',
  dangling: 'will use the shared login as soon as you log in inside any agent',
  diverged: 'logged in on its own: it is shared automatically while the agent runs, or use Share login…',
  'other-link': 'points to a login outside Clawker: left as it is',
}

/** A ticking clock for countdowns: display only, it fetches nothing. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(t)
  }, [])
  return now
}

function FileFacts({ info, now }: { info: FileInfo; now: number }) {
  const left = info.expiresAt ? countdown(info.expiresAt, now) : null
  return (
    <dl className="facts">
      <dt>Expires</dt>
      <dd className={left === 'expired' ? 'error' : undefined}>
        {info.expiresAt ? (left === 'expired' ? 'expired' : `in ${left}`) : 'unknown'}
      </dd>
      <dt>Subscription</dt>
      <dd>{info.subscriptionType ?? 'unknown'}</dd>
      <dt>Scopes</dt>
      <dd>{info.scopes.length ? info.scopes.join(', ') : 'none'}</dd>
      <dt>File</dt>
      <dd className={info.modeOk ? undefined : 'warn'}>
        mode {info.mode}, owner {info.uid}:{info.gid}
        {info.modeOk ? '' : ' — should be 600: others may read it'}
      </dd>
      {info.valid ? null : (
        <>
          <dt>Login</dt>
          <dd className="error">not usable (blanked or unreadable)</dd>
        </>
      )}
    </dl>
  )
}

export function CredentialsPanel({ state, error, loading }: { state: CredentialState | undefined; error: Error | null; loading: boolean }) {
  const now = useNow()
  return (
    <Panel id="credentials" title="Credentials" className="credentials-panel" busy={loading} error={error}>
      {!state && loading ? (
        <p role="status" className="muted">
          Reading the shared login and each agent&apos;s link…
        </p>
      ) : null}
      {state ? (
        <>
          <h3>Shared login</h3>
          <p>
            Volume <code>{state.globalVolume.name}</code>:{' '}
            {state.globalVolume.exists ? (state.globalVolume.labelled ? 'present' : 'present (made outside Clawker, unlabelled)') : 'not created yet'}
          </p>
          {state.global ? (
            <>
              <p>Holds credentials.</p>
              <FileFacts info={state.global} now={now} />
            </>
          ) : (
            <p className="muted">No shared login yet. Log in inside any agent (run claude and follow its login), or use Share login… to share a login you already have.</p>
          )}
          <h3>Agents</h3>
          {state.agents.length === 0 ? <p className="muted">No agent volumes.</p> : null}
          <ul className="link-list">
            {state.agents.map((a) => (
              <li key={a.volume} aria-label={`${agentLabel(a)}: ${LINK_TEXT[a.linkState]}`}>
                <span className="agent-name">{agentLabel(a)}</span>{' '}
                <span className={`badge link-${a.linkState}`}>{LINK_TEXT[a.linkState]}</span>
                {a.local ? <FileFacts info={a.local} now={now} /> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Panel>
  )
}
