/**
 * "Select all shown", and once agents are ticked: how many, with Start, Stop and
 * Remove for them all (a request per thousand; every agent's failure is listed).
 * A selection outlives the filter, so Remove names what it removes and says how
 * many of them the filter hides.
 */
import { useState } from 'react'
import type { AgentSummary, ManyResult } from '../../../shared/contract'
import { processMayRun } from '../../../shared/agentState'
import { MANY_MAX } from '../../../shared/limits'
import { ClawkerError } from '../../../shared/errors'
import { call } from '../api'
import { agentLabel } from '../format'
import type { AgentSelection } from '../selection'
import { Modal } from './Modal'
import { RemoveChoices, useRemoval } from './RemoveDialog'

const refOf = (a: AgentSummary) => ({ project: a.project, agent: a.agent, ...(a.engine !== 'local' ? { engine: a.engine } : {}) })
type Ref = ReturnType<typeof refOf>

/** One action over any number of agents: the contract takes MANY_MAX a request. */
async function inChunks(refs: Ref[], act: (chunk: Ref[]) => Promise<ManyResult>): Promise<ManyResult> {
  const results: ManyResult['results'] = []
  for (let i = 0; i < refs.length; i += MANY_MAX) results.push(...(await act(refs.slice(i, i + MANY_MAX))).results)
  return { results }
}
/** Agents named in the Remove question; more are counted. */
const NAMED_IN_QUESTION = 8
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

export function SelectionBar({ selection, shown, onEmptied }: { selection: AgentSelection; shown: AgentSummary[]; onEmptied(): void }) {
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
  const stoppable = selected.filter((a) => processMayRun(a.state))
  const startable = selected.filter((a) => !stoppable.includes(a))
  const clear = () => {
    selection.clear()
    setErrors([])
    onEmptied()
  }
  return (
    <div className="selection-bar" role="region" aria-label="Selected agents">
      {selected.length > 0 ? (
        <>
          <span className="selection-count">{selected.length} selected</span>
          <button
            type="button"
            aria-label="Start the selected agents"
            disabled={busy !== null || startable.length === 0}
            aria-busy={busy === 'start'}
            onClick={() => run('start', () => inChunks(startable.map(refOf), (agents) => call('agents.startMany', { agents })))}
          >
            {busy === 'start' ? 'Starting…' : 'Start'}
          </button>
          <button
            type="button"
            aria-label="Stop the selected agents"
            disabled={busy !== null || stoppable.length === 0}
            aria-busy={busy === 'stop'}
            title="Asks each agent to end (SIGTERM) and ends it after 3 seconds if it has not"
            onClick={() => run('stop', () => inChunks(stoppable.map(refOf), (agents) => call('agents.stopMany', { agents })))}
          >
            {busy === 'stop' ? 'Stopping…' : 'Stop'}
          </button>
          <button type="button" className="danger" aria-label="Remove the selected agents…" disabled={busy !== null} onClick={() => setConfirming(true)}>
            Remove
          </button>
        </>
      ) : null}
      <button type="button" className="link-button" onClick={clear}>
        {selected.length > 0 ? 'Clear selection' : 'Dismiss'}
      </button>
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
          hidden={selected.filter((a) => !shown.includes(a)).length}
          onClose={() => setConfirming(false)}
          onDone={(r) => {
            setConfirming(false)
            const failed = failures(r)
            setErrors(failed)
            // The bar goes with the last agent: the keyboard goes to the list's filter, not to the page.
            if (failed.length === 0) onEmptied()
          }}
        />
      ) : null}
    </div>
  )
}

/** Like RemoveDialog, for a selection: one question naming them, and whether their volumes go. */
function RemoveManyDialog({ agents, hidden, onClose, onDone }: { agents: AgentSummary[]; hidden: number; onClose(): void; onDone(r: ManyResult): void }) {
  const removal = useRemoval(async (removeVolumes) => onDone(await inChunks(agents.map(refOf), (chunk) => call('agents.removeMany', { agents: chunk, removeVolumes }))))
  const running = agents.filter((a) => a.state === 'running').length
  return (
    <Modal title={`Remove ${agentsWord(agents.length)}?`} onClose={onClose}>
      <p>
        {agents.length === 1 ? 'Its container goes' : 'Their containers go'}
        {running > 0 ? ` (${running} running ${running === 1 ? 'is' : 'are'} stopped first)` : ''}. Volumes stay unless you tick
        the box, so a new agent of the same name finds its history and settings again.
      </p>
      <ul className="named-agents" aria-label="Agents to remove">
        {agents.slice(0, NAMED_IN_QUESTION).map((a) => (
          <li key={`${a.engine}:${a.id}`}>{agentLabel(a)}</li>
        ))}
        {agents.length > NAMED_IN_QUESTION ? <li>and {agentsWord(agents.length - NAMED_IN_QUESTION)} more</li> : null}
      </ul>
      {hidden > 0 ? (
        <p role="note">
          {hidden === agents.length ? (hidden === 1 ? 'It is' : 'All of them are') : `${hidden} of them ${hidden === 1 ? 'is' : 'are'}`} not shown: the
          filter hides {hidden === 1 ? 'it' : 'them'}.
        </p>
      ) : null}
      <RemoveChoices removal={removal} volumesLabel="Also remove these agents' volumes (config, history, workspace)" removeText={`Remove ${agentsWord(agents.length)}`} onClose={onClose} />
    </Modal>
  )
}
