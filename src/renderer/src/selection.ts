/**
 * The agents ticked in the list, keyed by engine and container id so a selection
 * survives the list's refreshes from Docker's events; an agent that is gone drops out.
 */
import { useCallback, useMemo, useState } from 'react'
import type { AgentSummary } from '../../shared/contract'

export const agentKey = (a: Pick<AgentSummary, 'engine' | 'id'>): string => `${a.engine}:${a.id}`

export interface AgentSelection {
  /** The selected agents that are still listed, in the list's order. */
  selected: AgentSummary[]
  has(a: AgentSummary): boolean
  toggle(a: AgentSummary, on: boolean): void
  /** Ticks or unticks each of these. */
  setMany(agents: AgentSummary[], on: boolean): void
  clear(): void
}

export function useAgentSelection(agents: AgentSummary[]): AgentSelection {
  const [keys, setKeys] = useState<ReadonlySet<string>>(() => new Set())
  const selected = useMemo(() => (keys.size === 0 ? [] : agents.filter((a) => keys.has(agentKey(a)))), [agents, keys])
  const live = useMemo(() => new Set(selected.map(agentKey)), [selected])
  const setMany = useCallback(
    (list: AgentSummary[], on: boolean) =>
      setKeys((prev) => {
        // Only what is still listed is kept: a gone agent is forgotten at the next change.
        const next = new Set([...prev].filter((k) => live.has(k)))
        for (const a of list) {
          if (on) next.add(agentKey(a))
          else next.delete(agentKey(a))
        }
        return next
      }),
    [live],
  )
  // Stable, so memoised rows are not all redrawn when the list changes; a gone agent's key is
  // never listed again (container ids are unique) and is dropped by the next setMany.
  const toggle = useCallback(
    (a: AgentSummary, on: boolean) =>
      setKeys((prev) => {
        const next = new Set(prev)
        if (on) next.add(agentKey(a))
        else next.delete(agentKey(a))
        return next
      }),
    [],
  )
  return {
    selected,
    has: (a) => live.has(agentKey(a)),
    toggle,
    setMany,
    clear: () => setKeys(new Set()),
  }
}
