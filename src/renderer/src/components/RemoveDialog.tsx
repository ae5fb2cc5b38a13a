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

/** Asks whether to keep the agent's volumes. The shared login volume is never offered. */
export function RemoveDialog({ agent, onClose }: { agent: AgentSummary; onClose(): void }) {
  const client = useQueryClient()
  const [removeVolumes, setRemoveVolumes] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const label = agentLabel(agent)
  const remove = async () => {
    setBusy(true)
    setError(null)
    try {
      await call('agents.remove', { project: agent.project, agent: agent.agent, removeVolumes, ...(agent.engine !== 'local' ? { engine: agent.engine } : {}) })
      // A read begun before the volumes went would show the agent as linked: read again now.
      void client.invalidateQueries({ queryKey: queryKeys.credentials })
      onClose()
    } catch (e) {
      setError(e instanceof ClawkerError ? e.message : String(e))
      setBusy(false)
    }
  }
  return (
    <Modal title={`Remove ${label}?`} onClose={onClose}>
      <p>
        The container goes{agent.state === 'running' ? ' (it is running and will be stopped)' : ''}. Its volumes stay unless you
        tick the box, so a new agent of the same name finds its history and settings again.
      </p>
      <label className="check">
        <input type="checkbox" checked={removeVolumes} onChange={(e) => setRemoveVolumes(e.target.checked)} />
        Also remove the agent&apos;s volumes (config, history, workspace)
      </label>
      <p className="muted">The shared login volume ({globalVolumeName(useStartup().data?.prefix ?? 'clawker')}) is never removed here.</p>
      <ErrorLine error={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={remove} disabled={busy} aria-busy={busy}>
          {busy ? 'Removing…' : 'Remove'}
        </button>
      </div>
    </Modal>
  )
}
