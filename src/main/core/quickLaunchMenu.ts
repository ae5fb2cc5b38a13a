/**
 * The tray's menu, as data: built from the agents and the recent projects by a
 * pure function, so it is tested without Electron and the browser mode can show
 * the same menu in its header.
 */
import type { AgentSummary, EngineStatus, QuickLaunchMenu } from '../../shared/contract'
import type { RecentProject } from '../services/settings'
import { agentStateLabel } from '../../shared/agentText'
import { groupAgents } from '../../shared/agentGroups'

export const MAX_MENU_PROJECTS = 8

const NO_PROJECT_LABEL = '(no project)'

export function buildQuickLaunchMenu(input: {
  agents: AgentSummary[]
  recentProjects: RecentProject[]
  engine: EngineStatus
}): QuickLaunchMenu {
  // Groups by engine, then project: this computer's first, each remote engine after it.
  const key = (engine: string, project: string) => `${engine}\u0000${project}`
  const groups = new Map(groupAgents(input.agents).map((g) => [key(g.engine, g.project), g]))
  // Recent projects first (on this computer), in the order used; then the others that have agents, by engine and name.
  const others = [...groups.values()].sort((a, b) => Number(a.engine !== 'local') - Number(b.engine !== 'local') || a.engine.localeCompare(b.engine) || a.project.localeCompare(b.project))
  const order = [...input.recentProjects.map((p) => key('local', p.name)), ...others.map((g) => key(g.engine, g.project))].filter((k, i, all) => all.indexOf(k) === i)
  const running = input.agents.filter((a) => a.state === 'running').length
  const tooltip =
    input.engine.state === 'unavailable'
      ? 'Clawker: Docker is not running'
      : running === 0
        ? 'Clawker: no agents running'
        : `Clawker: ${running} agent${running === 1 ? '' : 's'} running`
  return {
    tooltip,
    running,
    projects: order.slice(0, MAX_MENU_PROJECTS).map((k) => {
      const [engine, project] = k.split('\u0000') as [string, string]
      const name = project === '' ? NO_PROJECT_LABEL : project
      return {
        engine,
        project,
        label: engine === 'local' ? name : `${name} on ${engine}`,
        newAgentLabel: `New agent in ${name}…`,
        agents: (groups.get(k)?.agents ?? [])
          .slice()
          .sort((a, b) => a.agent.localeCompare(b.agent))
          .map((a) => ({
            engine: a.engine,
            project: a.project,
            agent: a.agent,
            state: a.state,
            label: `${a.agent} — ${agentStateLabel(a)}`,
            action: a.state === 'running' ? ('focus' as const) : ('start-and-open' as const),
          })),
      }
    }),
  }
}
