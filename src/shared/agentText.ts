/** How an agent and its state are named to the user: the same words in the window, the tray and errors. */

/** `project/agent`, or `agent` for an agent without a project. */
export const agentLabel = (a: { project: string; agent: string }): string => (a.project ? `${a.project}/${a.agent}` : a.agent)

/** "running", "stopped" (created, never started), "exited (code 1)", "restarting"… */
export function agentStateLabel(a: { state: string; exitCode: number | null; stoppedByUser?: boolean | undefined }): string {
  switch (a.state) {
    case 'exited':
      // A stop the user asked for ends with the signal's code (143, or 137 when forced): not a crash.
      if (a.stoppedByUser) return 'stopped'
      return a.exitCode === null ? 'exited' : `exited (code ${a.exitCode})`
    case 'created':
      return 'stopped'
    default:
      return a.state
  }
}
