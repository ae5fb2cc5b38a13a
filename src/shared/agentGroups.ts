/**
 * Agents grouped by engine, then project: the window's list and the quick-launch
 * menu (the tray's too) show the same groups, from this one function.
 */
import type { AgentSummary } from './contract'

export interface AgentGroup {
  engine: string
  project: string
  agents: AgentSummary[]
}

/** Groups in the order given: the agent list comes sorted by engine (this computer first), then project. */
export function groupAgents(agents: AgentSummary[]): AgentGroup[] {
  const groups = new Map<string, AgentGroup>()
  for (const a of agents) {
    const key = `${a.engine}\u0000${a.project}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { engine: a.engine, project: a.project, agents: [] }))
    g.agents.push(a)
  }
  return [...groups.values()]
}
