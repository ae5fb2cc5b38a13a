/**
 * "Select all shown", and once agents are ticked: how many, with Start, Stop and
 * Remove for them all (one request each; every agent's failure is listed).
 */
import { useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { AgentSummary, ManyResult } from '../../../shared/contract'
import { ClawkerError } from '../../../shared/errors'
import { globalVolumeName } from '../../../shared/resourceNames'
import { call } from '../api'
import { agentLabel } from '../format'
import { queryKeys, useStartup } from '../queries'
import type { AgentSelection } from '../selection'
import { ErrorLine } from './ErrorLine'
import { Modal } from './Modal'

const refOf = (a: AgentSummary) => ({ project: a.project, agent: a.agent, ...(a.engine !== 'local' ? { engine: a.engine } : {}) })
const failures = (r: ManyResult) => r.results.filter((x) => !x.ok).map((x) => `${agentLabel(x)}: ${x.error ?? 'failed'}`)
const agentsWord = (n: number) => (n === 1 ? '1 agent' : `${n} agents`)

/** The "Select all shown" box: ticked when every shown agent is, mixed when some are. */
export function SelectAllShown({ shown, selection }: { shown: AgentSummary[]; selection: AgentSelection }) {
  const ticked = shown.filter((a) => selection.has(a)).length
  const all = shown.length > 0 && ticked === shown.length
  return (
    <label className="check select-all">
      <input
        type="checkbox"
        checked={all}
        disabled={shown.length === 0}
        ref={(el) => {
          if (el) el.indeterminate = ticked > 0 && !all
        }}
        onChange={() => selection.setMany(shown, !all)}
      />
      Select all shown
    </label>
  )
}

export function SelectionBar({ selection }: { selection: AgentSelection }) {
  const [busy, setBusy] = useState<string | null>(null)
  const [errors, setErrors] = useState<string[]>([])
  const [confirming, setConfirming] = useState(false)
  const { selected } = selection
  if (selected.length === 0 && errors.length === 0) return null
  const run = async (name: string, act: () => Promise<ManyResult>) => {
    setBusy(name)
    setErrors([])
    try {
      setErrors(failures(await act()))
    } catch (e) {
      setErrors([e instanceof ClawkerError ? e.message : String(e)])
    } finally {
      setBusy(null)
    }
  }
  const agents = selected.map(refOf)
  const stoppable = selected.filter((a) => a.state === 'running' || a.state === 'restarting' || a.state === 'paused')
  const startable = selected.filter((a) => !stoppable.includes(a))
  return (
    <div className="selection-bar" role="region" aria-label="Selected agents">
      {selected.length > 0 ? (
        <>
          <span className="selection-count">{selected.length} selected</span>
          <button
            type="button"
            disabled={busy !== null || startable.length === 0}
            aria-busy={busy === 'start'}
            onClick={() => run('start', () => call('agents.startMany', { agents: startable.map(refOf) }))}
          >
            {busy === 'start' ? 'Starting…' : 'Start'}
          </button>
          <button
            type="button"
            disabled={busy !== null || stoppable.length === 0}
            aria-busy={busy === 'stop'}
            title="Asks each agent to end (SIGTERM) and ends it after 3 seconds if it has not"
            onClick={() => run('stop', () => call('agents.stopMany', { agents: stoppable.map(refOf) }))}
          >
            {busy === 'stop' ? 'Stopping…' : 'Stop'}
          </button>
          <button type="button" className="danger" disabled={busy !== null} onClick={() => setConfirming(true)}>
            Remove
          </button>
          <button type="button" className="link-button" onClick={selection.clear}>
            Clear selection
          </button>
        </>
      ) : null}
      {errors.length > 0 ? (
        <ul role="alert" className="error selection-errors" aria-label="What failed">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      {confirming ? (
        <RemoveManyDialog
          agents={selected}
          onClose={() => setConfirming(false)}
          onDone={(r) => {
            setConfirming(false)
            setErrors(failures(r))
          }}
          refs={agents}
        />
      ) : null}
    </div>
  )
}

/** Like RemoveDialog, for a selection: one question naming how many, and whether their volumes go. */
function RemoveManyDialog({
  agents,
  refs,
  onClose,
  onDone,
}: {
  agents: AgentSummary[]
  refs: Array<ReturnType<typeof refOf>>
  onClose(): void
  onDone(r: ManyResult): void
}) {
  const client = useQueryClient()
  const prefix = useStartup().data?.prefix ?? 'clawker'
  const [removeVolumes, setRemoveVolumes] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const running = agents.filter((a) => a.state === 'running').length
  const remove = async () => {
    setBusy(true)
    setError(null)
    try {
      const r = await call('agents.removeMany', { agents: refs, removeVolumes })
      void client.invalidateQueries({ queryKey: queryKeys.credentials })
      onDone(r)
    } catch (e) {
      setError(e instanceof ClawkerError ? e.message : String(e))
      setBusy(false)
    }
  }
  return (
    <Modal title={`Remove ${agentsWord(agents.length)}?`} onClose={onClose}>
      <p>
        {agents.length === 1 ? 'Its container goes' : 'Their containers go'}
        {running > 0 ? ` (${running} running ${running === 1 ? 'is' : 'are'} stopped first)` : ''}. Volumes stay unless you tick
        the box, so a new agent of the same name finds its history and settings again.
      </p>
      <label className="check">
        <input type="checkbox" checked={removeVolumes} onChange={(e) => setRemoveVolumes(e.target.checked)} />
        Also remove these agents&apos; volumes (config, history, workspace)
      </label>
      <p className="muted">The shared login volume ({globalVolumeName(prefix)}) is never removed here.</p>
      <ErrorLine error={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={remove} disabled={busy} aria-busy={busy}>
          {busy ? 'Removing…' : `Remove ${agentsWord(agents.length)}`}
        </button>
      </div>
    </Modal>
  )
}
