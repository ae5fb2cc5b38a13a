/**
 * The tray's menu, as data: built from the agents and the recent projects by a
 * pure function, so it is tested without Electron and the browser mode can show
 * the same menu in its header.
 */
import type { AgentSummary, EngineStatus, QuickLaunchMenu } from '../../shared/contract'
import type { RecentProject } from '../services/settings'
import { agentStateLabel } from '../../shared/agentText'

export const MAX_MENU_PROJECTS = 8

const NO_PROJECT_LABEL = '(no project)'

export function buildQuickLaunchMenu(input: {
  agents: AgentSummary[]
  recentProjects: RecentProject[]
  engine: EngineStatus
}): QuickLaunchMenu {
  const byProject = new Map<string, AgentSummary[]>()
  for (const a of input.agents) {
    const list = byProject.get(a.project) ?? []
    list.push(a)
    byProject.set(a.project, list)
  }
  // Recent projects first, in the order used; then the others that have agents, by name.
  const order = [
    ...input.recentProjects.map((p) => p.name),
    ...[...byProject.keys()].sort((a, b) => a.localeCompare(b)),
  ].filter((p, i, all) => all.indexOf(p) === i)
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
    projects: order.slice(0, MAX_MENU_PROJECTS).map((project) => {
      const name = project === '' ? NO_PROJECT_LABEL : project
      return {
        project,
        label: name,
        newAgentLabel: `New agent in ${name}…`,
        agents: (byProject.get(project) ?? [])
          .slice()
          .sort((a, b) => a.agent.localeCompare(b.agent))
          .map((a) => ({
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
