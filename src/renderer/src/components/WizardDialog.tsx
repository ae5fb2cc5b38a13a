import { useEffect, useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { WizardPlan, WizardReport, WizardScan } from '../../../shared/contract'
import { ClawkerError } from '../../../shared/errors'
import { call, onEvent } from '../api'
import { agentLabel, shortDate } from '../format'
import { queryKeys } from '../queries'
import { Modal } from './Modal'

const GLOBAL_ACTION_TEXT: Record<WizardPlan['global'], string> = {
  write: 'write the chosen login (the old file is kept beside it as .credentials.json.bak-<date>)',
  unchanged: 'nothing to do',
  left: 'left as it is',
}

const ACTION_TEXT = { nothing: 'nothing to do', link: 'link', 'backup-and-link': 'back up, then link', skip: 'skip' } as const

function LoginChoice({ scan, chosen, onChoose }: { scan: WizardScan; chosen: string | null; onChoose(id: string): void }) {
  if (scan.logins.length === 0) return <p>No login found anywhere yet. Open any agent and log in to Claude Code there: every agent then uses that login.</p>
  return (
    <fieldset className="field">
      <legend>Login to share</legend>
      {scan.logins.map((l) => (
        <label key={l.id} className="check login-choice">
          <input type="radio" name="login" checked={chosen === l.id} disabled={!l.valid} onChange={() => onChoose(l.id)} />
          <span>
            {l.sources.join(', ')} — {l.valid ? `expires ${l.expiresAt ? shortDate(l.expiresAt) : 'at an unknown time'}` : 'not usable'}
            {l.subscriptionType ? `, ${l.subscriptionType}` : ''}
            {l.id === scan.defaultLoginId ? ' (expires last: suggested)' : ''}
          </span>
        </label>
      ))}
    </fieldset>
  )
}

/**
 * First run: engine, scan, plan, migrate, report. Nothing changes before the user
 * confirms; no token is shown (the main process sends metadata only).
 */
export function WizardDialog({ onClose }: { onClose(): void }) {
  const client = useQueryClient()
  const scan = useQuery({ queryKey: ['wizard.scan'], queryFn: () => call('wizard.scan', {}), staleTime: 0 })
  const [chosen, setChosen] = useState<string | null>(null)
  const [step, setStep] = useState<'plan' | 'migrating' | 'report'>('plan')
  const [progress, setProgress] = useState<string[]>([])
  const [report, setReport] = useState<WizardReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const loginId = chosen ?? scan.data?.defaultLoginId ?? null
  const plan = useQuery({
    queryKey: ['wizard.plan', loginId],
    queryFn: () => call('wizard.plan', { loginId: loginId! }),
    enabled: !!loginId && step === 'plan',
    staleTime: 0,
  })
  // A re-run where everything already shares the chosen login: say so instead of offering a no-op.
  const nothingToDo = !!plan.data && plan.data.global === 'unchanged' && plan.data.volumes.every((v) => v.action === 'nothing' || v.action === 'skip')
  useEffect(() => onEvent('wizard.progress', (p) => setProgress((ps) => [...ps, p.step])), [])

  const migrate = async () => {
    if (!loginId) return
    setStep('migrating')
    setProgress([])
    setError(null)
    try {
      setReport(await call('wizard.apply', { loginId, confirm: true }))
      setStep('report')
      void client.invalidateQueries({ queryKey: queryKeys.credentials })
    } catch (e) {
      setError(e instanceof ClawkerError ? e.message : String(e))
      setStep('plan')
    }
  }
  const dismiss = async () => {
    await call('wizard.dismiss', {}).catch(() => {})
    onClose()
  }

  return (
    <Modal title="Share one login across your agents" onClose={dismiss} wide>
      <ol className="steps" aria-label="Steps">
        <li aria-current={false}>Engine: connected</li>
        <li aria-current={step === 'plan' && !scan.data ? 'step' : false}>Scan</li>
        <li aria-current={step === 'plan' && !!scan.data ? 'step' : false}>Plan</li>
        <li aria-current={step === 'migrating' ? 'step' : false}>Migrate</li>
        <li aria-current={step === 'report' ? 'step' : false}>Report</li>
      </ol>
      {scan.isLoading ? <p role="status">Scanning volumes and this computer for logins…</p> : null}
      {scan.error ? (
        <p role="alert" className="error">
          {scan.error.message}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {scan.data && step === 'plan' ? (
        <section aria-label="Scan and plan">
          <p>
            Shared login volume <code>{scan.data.globalVolume.name}</code>: {scan.data.globalVolume.exists ? 'present' : 'will be created'}.
            This computer&apos;s login ({scan.data.host.where}): {scan.data.host.found ? 'found' : scan.data.host.error ?? 'none'}.
          </p>
          <LoginChoice scan={scan.data} chosen={loginId} onChoose={setChosen} />
          {plan.data ? (
            <table className="plan">
              <caption>What will happen</caption>
              <thead>
                <tr>
                  <th scope="col">Volume</th>
                  <th scope="col">Action</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>shared login</td>
                  <td>{GLOBAL_ACTION_TEXT[plan.data.global]}</td>
                  <td>{plan.data.globalReason}</td>
                </tr>
                {plan.data.volumes.map((v) => (
                  <tr key={v.volume}>
                    <td>{agentLabel(v)}</td>
                    <td>{ACTION_TEXT[v.action]}</td>
                    <td>
                      {v.reason}
                      {v.running && v.action !== 'nothing' && v.action !== 'skip' ? ' (running: restart it afterwards)' : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {nothingToDo ? (
            <p role="status">Nothing to do: every agent already shares the login.</p>
          ) : !plan.data && !plan.isLoading ? (
            <p role="status" className="muted">
              {scan.data.logins.length === 0 ? 'Migrate needs a login to share.' : 'Choose a login to share to see what would be done.'}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="button" onClick={dismiss}>
              {nothingToDo ? 'Close' : 'Not now'}
            </button>
            <span className="spacer" />
            <button type="button" className="primary" onClick={migrate} disabled={!plan.data || nothingToDo}>
              Migrate
            </button>
          </div>
        </section>
      ) : null}
      {step === 'migrating' ? (
        <section aria-label="Migrating" aria-busy="true">
          <p role="status">Migrating…</p>
          <ul>
            {progress.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {step === 'report' && report ? (
        <section aria-label="Report">
          <p role="status">{report.message}</p>
          <ul className="report">
            <li>shared login: {report.global}{report.globalBackup ? ` (the one it held is kept as ${report.globalBackup})` : ''}</li>
            {report.volumes.map((v) => (
              <li key={v.volume}>
                {agentLabel(v)}: {v.done}
                {v.restartNeeded ? ' — restart this agent' : ''}
              </li>
            ))}
          </ul>
          <div className="dialog-actions">
            <button
              type="button"
              onClick={() => {
                setStep('plan')
                void scan.refetch()
              }}
            >
              Run again
            </button>
            <span className="spacer" />
            <button type="button" className="primary" onClick={onClose}>
              Close
            </button>
          </div>
        </section>
      ) : null}
    </Modal>
  )
}
