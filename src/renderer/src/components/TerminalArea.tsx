import type { TerminalKind } from '../../../shared/contract'
import { lazy, Suspense } from 'react'
import { agentLabel } from '../format'

export type { TerminalKind } from '../../../shared/contract'

export interface OpenTerminal {
  key: string
  kind: TerminalKind
  project: string
  agent: string
  /** The engine the agent runs on; the local one when left out. */
  engine?: string
  /** Changes each time the terminal is asked for (Open, Shell, quick launch): it then takes the keyboard. */
  focusSeq?: number
}

/** xterm.js loads when the first terminal opens, not with the first screen. */
const TerminalView = lazy(() => import('./TerminalView'))

const KIND_TEXT: Record<TerminalKind, string> = { attach: 'terminal', shell: 'shell', logs: 'logs' }

export function terminalTitle(t: OpenTerminal): string {
  return `${agentLabel(t)} ${KIND_TEXT[t.kind]}`
}

export function TerminalArea(props: { terminals: OpenTerminal[]; active: string | undefined; onSelect(key: string): void; onClose(key: string): void }) {
  if (props.terminals.length === 0) return null
  return (
    <section className="panel terminal-area" role="region" aria-label="Terminals">
      <div role="tablist" aria-label="Open terminals" className="tabs">
        {props.terminals.map((t) => (
          <div key={t.key} className={`tab${t.key === props.active ? ' tab-active' : ''}`}>
            <button
              type="button"
              role="tab"
              id={`tab-${t.key}`}
              aria-selected={t.key === props.active}
              aria-controls={`panel-${t.key}`}
              onClick={() => props.onSelect(t.key)}
            >
              {terminalTitle(t)}
            </button>
            <button type="button" className="tab-close" aria-label={`Close ${terminalTitle(t)}`} onClick={() => props.onClose(t.key)}>
              ×
            </button>
          </div>
        ))}
      </div>
      {props.terminals.map((t) => (
        <div key={t.key} role="tabpanel" id={`panel-${t.key}`} aria-labelledby={`tab-${t.key}`} hidden={t.key !== props.active} className="terminal-panel">
          <Suspense fallback={<p className="muted">Loading the terminal…</p>}>
            <TerminalView terminal={t} visible={t.key === props.active} />
          </Suspense>
        </div>
      ))}
    </section>
  )
}
