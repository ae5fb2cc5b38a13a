import type { AgentState } from './contract'

/** A process of the agent's may be there (running or paused): what Stop applies to, and whose files can change with no event. */
export const processMayRun = (state: AgentState): boolean => state === 'running' || state === 'restarting' || state === 'paused'
