import { memo, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { AgentSummary } from '../../../shared/contract'
import { ClawkerError } from '../../../shared/errors'
import { call } from '../api'
import { agentLabel, shortDate, stateText } from '../format'
import type { TerminalKind } from './TerminalArea'
import { Panel } from './Panel'
import { groupAgents } from '../../../shared/agentGroups'
import { filterAgents } from '../agentFilter'
import { useAgentSelection, type AgentSelection } from '../selection'
import { AgentFilter, NoMatch } from './AgentFilter'
import { SelectAllShown, SelectionBar } from './SelectionBar'
import { AgentStats, useStatsWatch } from './AgentStats'

type Row = { kind: 'project'; project: string; engine: string; count: number; running: number } | { kind: 'agent'; agent: AgentSummary }

/** Agents grouped by engine, then project (a heading each), flattened for the virtual list. */
export function groupRows(agents: AgentSummary[]): Row[] {
  return groupAgents(agents).flatMap((g): Row[] => [
    { kind: 'project', project: g.project, engine: g.engine, count: g.agents.length, running: g.agents.filter((a) => a.state === 'running').length },
    ...g.agents.map((agent) => ({ kind: 'agent' as const, agent })),
  ])
}

/**
 * Every agent row is one line of this height, a project's heading one of that (styles.css keeps
 * them so: long text is cut with an ellipsis, buttons never wrap). Fixed sizes: the list never
 * measures a row, and scrolling lays out only the rows it adds.
 */
export const AGENT_ROW_PX = 40
export const PROJECT_HEAD_PX = 32

/** A project's heading, with Stop all while any of its agents runs. */
const ProjectHead = memo(function ProjectHead({ row }: { row: Extract<Row, { kind: 'project' }> }) {
  const [busy, setBusy] = useState(false)
  const name = row.project || '(no project)'
  const stopAll = async () => {
    setBusy(true)
    try {
      await call('projects.stopAll', { project: row.project, ...(row.engine !== 'local' ? { engine: row.engine } : {}) })
    } catch {
      /* each agent's row shows its own state; the list follows the engine's events */
    } finally {
      setBusy(false)
    }
  }
  return (
    <h3 className="project-head">
      {name} <span className="muted">· {row.count}{row.engine !== 'local' ? ` · on ${row.engine}` : ''}</span>
      {row.running > 0 ? (
        <button type="button" className="link-button" disabled={busy} aria-busy={busy} onClick={stopAll} aria-label={`Stop all agents of ${name}`}>
          Stop all
        </button>
      ) : null}
    </h3>
  )
})

interface Props {
  agents: AgentSummary[]
  loading: boolean
  error: Error | null
  onRemove(agent: AgentSummary): void
  onOpen(agent: AgentSummary, kind: TerminalKind): void
  onNew(project?: string): void
}

export function AgentsPanel({ agents, loading, error, onRemove, onOpen, onNew }: Props) {
  const [query, setQuery] = useState('')
  // Typing stays quick at a thousand agents: the list follows a moment later.
  const deferredQuery = useDeferredValue(query)
  const shown = useMemo(() => filterAgents(agents, deferredQuery), [agents, deferredQuery])
  const selection = useAgentSelection(agents)
  const rows = useMemo(() => groupRows(shown), [shown])
  const scroller = useRef<HTMLDivElement>(null)
  const filterBox = useRef<HTMLInputElement>(null)
  const newButton = useRef<HTMLButtonElement>(null)
  // The selection's bar went with the agents it acted on: the keyboard goes to the filter, or to
  // New agent once no agent is left (asked again when the list empties after the refetch).
  const [refocus, setRefocus] = useState(0)
  const none = agents.length === 0
  useEffect(() => {
    if (refocus > 0) (filterBox.current ?? newButton.current)?.focus()
  }, [refocus, none])
  // The virtualizer is not memoised by the React compiler, and need not be.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]?.kind === 'project' ? PROJECT_HEAD_PX : AGENT_ROW_PX),
    overscan: 8,
  })
  useStatsWatch(virtual.getVirtualItems().flatMap((item) => (rows[item.index]?.kind === 'agent' ? [(rows[item.index] as Extract<Row, { kind: 'agent' }>).agent] : [])))
  return (
    <Panel
      id="agents"
      title="Agents"
      className="agents-panel"
      error={error}
      aside={<span className="muted">{agents.length === 1 ? '1 agent' : `${agents.length} agents`}</span>}
    >
      {!loading && agents.length === 0 && !error ? (
        <div className="empty">
          <p>No agents yet.</p>
          <button ref={newButton} type="button" onClick={() => onNew()}>
            New agent
          </button>
        </div>
      ) : null}
      {agents.length > 0 ? (
        <div className="agents-tools">
          <AgentFilter ref={filterBox} value={query} onChange={setQuery} />
          <SelectAllShown shown={shown} selection={selection} />
        </div>
      ) : null}
      <SelectionBar selection={selection} shown={shown} onEmptied={() => setRefocus((n) => n + 1)} />
      {agents.length > 0 && shown.length === 0 && query.trim() !== '' ? <NoMatch query={query} onClear={() => setQuery('')} /> : null}
      <div ref={scroller} className="agents-scroll" role="list" aria-label="Agents by project" aria-busy={loading}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const row = rows[item.index]!
            return (
              <div
                key={row.kind === 'project' ? `p:${row.engine}:${row.project}` : `${row.agent.engine}:${row.agent.id}`}
                className="virtual-row"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                {row.kind === 'project' ? (
                  <ProjectHead row={row} />
                ) : (
                  <AgentRow agent={row.agent} onRemove={onRemove} onOpen={onOpen} selected={selection.has(row.agent)} onSelect={selection.toggle} />
                )}
              </div>
            )
          })}
        </div>
      </div>
    </Panel>
  )
}

interface RowProps {
  agent: AgentSummary
  onRemove: Props['onRemove']
  onOpen: Props['onOpen']
  selected: boolean
  onSelect: AgentSelection['toggle']
}

/** Memoised: an event redraws the rows whose agent changed (the list keeps unchanged agents' objects), not every row in view. */
const AgentRow = memo(function AgentRow({ agent, onRemove, onOpen, selected, onSelect }: RowProps) {
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const label = agentLabel(agent)
  const state = stateText(agent)
  const running = agent.state === 'running' || agent.state === 'restarting'
  const ref = { project: agent.project, agent: agent.agent, ...(agent.engine !== 'local' ? { engine: agent.engine } : {}) }
  const act = async (name: string, run: () => Promise<unknown>) => {
    setBusy(name)
    setError(null)
    try {
      await run()
    } catch (e) {
      setError(e instanceof ClawkerError ? e.message : String(e))
    } finally {
      setBusy(null)
    }
  }
  return (
    <div role="listitem" aria-label={`${label}, ${state}`} className={`agent-row state-${agent.state}${error ? ' with-error' : ''}`}>
      <div className="agent-main">
        <input type="checkbox" className="agent-select" aria-label={`Select ${label}`} checked={selected} onChange={(e) => onSelect(agent, e.target.checked)} />
        <span className="agent-name" title={label}>
          {label}
        </span>
        <span className={`badge badge-${agent.state}`}>{state}</span>
        {agent.engine !== 'local' ? <span className="badge badge-engine" title="The engine it runs on">on {agent.engine}</span> : null}
        {agent.workspaceMode === 'snapshot' ? (
          <span className="badge badge-snapshot" title="The agent works on a copy of the folder, in its own volume">
            snapshot
          </span>
        ) : null}
        <span className="agent-meta muted" title={`Image ${agent.image}, workspace ${agent.workdir}`}>
          {agent.image} · {agent.workspaceMode === 'snapshot' ? 'copy of ' : ''}
          {agent.workdir || 'no workspace'} · {shortDate(agent.created)}
        </span>
        <AgentStats agent={agent} />
      </div>
      <div className="agent-actions">
        <button type="button" onClick={() => onOpen(agent, 'attach')} aria-label={`Open ${label}`}>
          Open
        </button>
        {running ? (
          <>
            <button type="button" onClick={() => onOpen(agent, 'shell')} aria-label={`Shell in ${label}`}>
              Shell
            </button>
            <button
              type="button"
              disabled={busy !== null}
              aria-busy={busy === 'stop'}
              title="Asks the agent to end (SIGTERM) and ends it after 3 seconds if it has not"
              onClick={() => act('stop', () => call('agents.stop', ref))}
            >
              {busy === 'stop' ? 'Stopping…' : 'Stop'}
            </button>
            {/* Only for a running agent: a stopped one has Start (and "Start" must not also match "Restart"). */}
            <button type="button" disabled={busy !== null} aria-busy={busy === 'restart'} onClick={() => act('restart', () => call('agents.restart', ref))}>
              {busy === 'restart' ? 'Restarting…' : 'Restart'}
            </button>
          </>
        ) : (
          <button type="button" disabled={busy !== null} aria-busy={busy === 'start'} onClick={() => act('start', () => call('agents.start', ref))}>
            {busy === 'start' ? 'Starting…' : 'Start'}
          </button>
        )}
        <button type="button" onClick={() => onOpen(agent, 'logs')} aria-label={`Logs of ${label}`}>
          Logs
        </button>
        <button type="button" className="danger" disabled={busy !== null} onClick={() => onRemove(agent)}>
          Remove
        </button>
      </div>
      {error ? (
        <p role="alert" className="error row-error" title={error}>
          {error}
        </p>
      ) : null}
    </div>
  )
})
