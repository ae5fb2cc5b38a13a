/**
 * The agents list's filter: every word typed must appear in the agent's name
 * (`project/agent`), its project or its state as the row shows it ("running",
 * "stopped", "exited (code 137)"), case aside. Pure, and run before grouping, so
 * project headings count only the agents that match.
 */
import type { AgentSummary } from '../../shared/contract'
import { agentLabel, stateText } from './format'

/** The words of a query, lowercased; none for a blank one. */
export function filterWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean)
}

/** What one agent is matched against. */
export function agentHaystack(a: AgentSummary): string {
  return `${agentLabel(a)}\n${a.project}\n${a.agent}\n${a.state}\n${stateText(a)}`.toLowerCase()
}

/** The agents that match every word of `query`, in their order; the same array when the query is blank. */
export function filterAgents(agents: AgentSummary[], query: string): AgentSummary[] {
  const words = filterWords(query)
  if (words.length === 0) return agents
  return agents.filter((a) => {
    const hay = agentHaystack(a)
    return words.every((w) => hay.includes(w))
  })
}
