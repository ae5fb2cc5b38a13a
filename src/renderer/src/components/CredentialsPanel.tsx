import { useEffect, useState } from 'react'
import type { CredentialFileInfo as FileInfo, CredentialState, LinkState } from '../../../shared/contract'
import { ClawkerError } from '../../../shared/errors'
import { call } from '../api'
import { agentLabel, countdown } from '../format'
import { ErrorLine } from './ErrorLine'
import { Modal } from './Modal'
import { Panel } from './Panel'

/** Each link state in plain words: what it means, then what to do (nothing, when nothing is needed). */
const LINK_TEXT: Record<LinkState, string> = {
  linked: 'uses the shared login',
  'waiting-to-migrate': 'has its own login, not shared yet: start it, or use Share login…',
  none: 'not logged in: log in inside it, or use Share login…',
  dangling: 'will use the shared login as soon as you log in inside any agent',
  diverged: 'logged in on its own: it is shared automatically while the agent runs, or use Share login…',
  'other-link': 'points to a login outside Clawker: left as it is',
  'signed-out': 'signed out in this agent: log in there, or use Share login… to give it the shared login again',
  'too-large': 'its own credentials file is over 1 MiB: left as it is, not shared',
}

const LOGIN_TEXT: Record<FileInfo['login'], string> = {
  usable: '',
  blank: 'not usable (blanked, e.g. after a refused refresh)',
  none: 'none: signed out (log in inside any agent and it is shared with all)',
  invalid: 'not usable (not valid JSON)',
  'too-large': 'not read: the file is over 1 MiB (left as it is)',
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
          <dd className={info.login === 'none' ? 'warn' : 'error'}>{LOGIN_TEXT[info.login]}</dd>
        </>
      )}
    </dl>
  )
}

/** Asks before moving the shared login to a backup; every agent is then signed out. */
function SignOutDialog({ agents, onClose }: { agents: number; onClose(): void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const signOut = async () => {
    setBusy(true)
    setError(null)
    try {
      const { backup, volume } = await call('credentials.signOutAll', { confirm: true })
      setDone(`Signed out. The login is kept as ${backup} in ${volume}; log in inside any agent to share a new one.`)
    } catch (e) {
      setError(e instanceof ClawkerError ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal title="Sign out every agent?" onClose={onClose}>
      {done ? (
        <p role="status">{done}</p>
      ) : (
        <p>
          Every agent ({agents}) shares one login. Signing out moves it to a backup file in the shared volume (nothing is lost) and
          leaves every agent with no login until someone logs in again inside an agent.
        </p>
      )}
      <ErrorLine error={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          {done ? 'Close' : 'Cancel'}
        </button>
        {done ? null : (
          <button type="button" className="danger" onClick={signOut} disabled={busy} aria-busy={busy}>
            {busy ? 'Signing out…' : 'Sign out every agent'}
          </button>
        )}
      </div>
    </Modal>
  )
}

export function CredentialsPanel({ state, error, loading }: { state: CredentialState | undefined; error: Error | null; loading: boolean }) {
  const now = useNow()
  const [signingOut, setSigningOut] = useState(false)
  const linked = state?.agents.filter((a) => a.linkState === 'linked').length ?? 0
  const signedOut = state?.agents.filter((a) => a.linkState === 'signed-out') ?? []
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
              {state.global.login === 'usable' ? (
                <button type="button" className="danger" onClick={() => setSigningOut(true)}>
                  Sign out every agent…
                </button>
              ) : null}
            </>
          ) : (
            <p className="muted">No shared login yet. Log in inside any agent (run claude and follow its login), or use Share login… to share a login you already have.</p>
          )}
          {signedOut.length ? (
            <ul className="notices" aria-label="Sign-outs">
              {signedOut.map((a) => (
                <li key={a.volume} role="status">
                  Signed out in {agentLabel(a)}; the shared login is still in use by {linked} agent{linked === 1 ? '' : 's'}.
                </li>
              ))}
            </ul>
          ) : null}
          {signingOut ? <SignOutDialog agents={state.agents.length} onClose={() => setSigningOut(false)} /> : null}
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
