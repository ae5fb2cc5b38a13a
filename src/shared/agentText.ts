/** How an agent and its state are named to the user: the same words in the window, the tray and errors. */

/** `project/agent`, or `agent` for an agent without a project. */
export const agentLabel = (a: { project: string; agent: string }): string => (a.project ? `${a.project}/${a.agent}` : a.agent)

/** "running", "stopped" (created, never started), "exited (code 1)", "restarting"… */
export function agentStateLabel(a: { state: string; exitCode: number | null }): string {
  switch (a.state) {
    case 'exited':
      return a.exitCode === null ? 'exited' : `exited (code ${a.exitCode})`
    case 'created':
      return 'stopped'
    default:
      return a.state
  }
}
