/** Display helpers shared by the panels. */
import type { AgentSummary } from '../../shared/contract'
import { agentStateLabel } from '../../shared/agentText'

export { agentLabel } from '../../shared/agentText'

/** The state as the tray says it, and "ready" once the entrypoint has signalled it (the healthcheck). */
export function stateText(a: Pick<AgentSummary, 'state' | 'exitCode' | 'health'>): string {
  const label = agentStateLabel(a)
  return a.state === 'running' && a.health === 'healthy' ? `${label}, ready` : label
}

/** "2 h 5 min", "45 s": the time until a moment, or "expired". */
export function countdown(untilIso: string, now: number): string {
  const ms = Date.parse(untilIso) - now
  if (ms <= 0) return 'expired'
  const s = Math.floor(ms / 1000)
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return `${d} d ${h} h`
  if (h > 0) return `${h} h ${m} min`
  if (m > 0) return `${m} min ${s % 60} s`
  return `${s} s`
}

const two = (n: number) => String(n).padStart(2, '0')

/**
 * Local date and time as 2026-12-01 23:40. Not Intl.DateTimeFormat: building the first one
 * loads the locale's data, 100 to 250 ms of the first screen on a slow machine.
 */
export function shortDate(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}
