/**
 * Each running agent's CPU and memory, from the engine's stats stream. The list
 * tells main which agents it shows (its rows in view), main streams those alone
 * and sends a sample about once a second each; nothing here polls.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { AgentStats as Sample, AgentSummary } from '../../../shared/contract'
import { call, onEvent } from '../api'
import { agentKey } from '../selection'

const samples = new Map<string, Sample>()
const listeners = new Set<() => void>()
let subscribed = false

function subscribe(listener: () => void): () => void {
  if (!subscribed) {
    subscribed = true
    onEvent('agents.stats', (s) => {
      samples.set(agentKey(s), s)
      for (const l of listeners) l()
    })
  }
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** "45 MB", "1.2 GB": memory as people read it. */
export function bytesText(n: number): string {
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} KB`
  if (n < 1024 * 1024 * 1024) return `${Math.round(n / (1024 * 1024))} MB`
  return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GB`
}

/** "CPU 3% · 45 MB" in a running agent's row once a sample has come; nothing otherwise. */
export function AgentStats({ agent }: { agent: AgentSummary }) {
  const key = agentKey(agent)
  const sample = useSyncExternalStore(subscribe, () => samples.get(key))
  if (agent.state !== 'running' || !sample) return null
  const cpu = sample.cpuPercent < 1 && sample.cpuPercent > 0 ? '<1' : String(Math.round(sample.cpuPercent))
  const limit = sample.memoryLimitBytes > 0 ? ` of ${bytesText(sample.memoryLimitBytes)}` : ''
  return (
    <span className="agent-stats muted" role="img" aria-label={`CPU ${cpu} percent, memory ${bytesText(sample.memoryBytes)}${limit}`}>
      CPU {cpu}% · {bytesText(sample.memoryBytes)}
    </span>
  )
}

/** How long the rows in view must stay put before main is told (a scroll passes many rows). */
const WATCH_SETTLE_MS = 150

/** Tells main which agents' stats to stream: the running ones among the rows in view, as a whole set. */
export function useStatsWatch(visible: AgentSummary[]): void {
  const running = visible.filter((a) => a.state === 'running')
  const setKey = running.map(agentKey).sort().join('|')
  const latest = useRef(running)
  // Nothing watched yet and nothing to watch: no request (a list of stopped agents stays quiet).
  const watching = useRef(false)
  useEffect(() => {
    latest.current = running
  })
  useEffect(() => {
    if (setKey === '' && !watching.current) return
    const send = () => {
      watching.current = latest.current.length > 0
      void call('agents.watchStats', {
        agents: latest.current.slice(0, 64).map((a) => ({ project: a.project, agent: a.agent, ...(a.engine !== 'local' ? { engine: a.engine } : {}) })),
      }).catch(() => {
        /* no numbers is all that is lost */
      })
    }
    const timer = setTimeout(send, WATCH_SETTLE_MS)
    // The browser mode's socket opened again (it says so on every reconnect, with a problem
    // shown before or not): main released the old set with the old socket.
    const offReconnect = onEvent('agents.changed', (e) => {
      if (e.action === 'reconnect') send()
    })
    return () => {
      clearTimeout(timer)
      offReconnect()
    }
  }, [setKey])
  // The list goes away: stop every stream it asked for.
  useEffect(
    () => () => {
      if (watching.current) void call('agents.watchStats', { agents: [] }).catch(() => {})
    },
    [],
  )
}
