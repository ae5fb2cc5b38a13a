import { useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { queryKeys, useStartup } from '../queries'
import type { AgentSummary } from '../../../shared/contract'
import { ClawkerError } from '../../../shared/errors'
import { call } from '../api'
import { agentLabel } from '../format'
import { ErrorLine } from './ErrorLine'
import { Modal } from './Modal'
import { globalVolumeName } from '../../../shared/resourceNames'

interface Removal {
  removeVolumes: boolean
  setRemoveVolumes(on: boolean): void
  busy: boolean
  error: string | null
  remove(): Promise<void>
}

/**
 * What a Remove question does: `run` with the volumes' choice, then the credentials read again
 * (a read begun before the volumes went would still show the agents as linked); its error in words.
 */
export function useRemoval(run: (removeVolumes: boolean) => Promise<void>): Removal {
  const client = useQueryClient()
  const [removeVolumes, setRemoveVolumes] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const remove = async () => {
    setBusy(true)
    setError(null)
    try {
      await run(removeVolumes)
      void client.invalidateQueries({ queryKey: queryKeys.credentials })
    } catch (e) {
      setError(e instanceof ClawkerError ? e.message : String(e))
      setBusy(false)
    }
  }
  return { removeVolumes, setRemoveVolumes, busy, error, remove }
}

/** The end of a Remove question: whether the volumes go (never the shared login's), what failed, Cancel and Remove. */
export function RemoveChoices({ removal, volumesLabel, removeText, onClose }: { removal: Removal; volumesLabel: string; removeText: string; onClose(): void }) {
  const prefix = useStartup().data?.prefix ?? 'clawker'
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={removal.removeVolumes} onChange={(e) => removal.setRemoveVolumes(e.target.checked)} />
        {volumesLabel}
      </label>
      <p className="muted">The shared login volume ({globalVolumeName(prefix)}) is never removed here.</p>
      <ErrorLine error={removal.error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={removal.remove} disabled={removal.busy} aria-busy={removal.busy}>
          {removal.busy ? 'Removing…' : removeText}
        </button>
      </div>
    </>
  )
}

/** Asks whether to keep the agent's volumes. The shared login volume is never offered. */
export function RemoveDialog({ agent, onClose }: { agent: AgentSummary; onClose(): void }) {
  const removal = useRemoval(async (removeVolumes) => {
    await call('agents.remove', { project: agent.project, agent: agent.agent, removeVolumes, ...(agent.engine !== 'local' ? { engine: agent.engine } : {}) })
    onClose()
  })
  return (
    <Modal title={`Remove ${agentLabel(agent)}?`} onClose={onClose}>
      <p>
        The container goes{agent.state === 'running' ? ' (it is running and will be stopped)' : ''}. Its volumes stay unless you
        tick the box, so a new agent of the same name finds its history and settings again.
      </p>
      <RemoveChoices removal={removal} volumesLabel="Also remove the agent's volumes (config, history, workspace)" removeText="Remove" onClose={onClose} />
    </Modal>
  )
}
