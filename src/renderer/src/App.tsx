import { useCallback, useEffect, useState } from 'react'
import type { AgentSummary } from '../../shared/contract'
import { bridge, onEvent } from './api'
import { agentLabel } from './format'
import { useAgents, useCredentialState, useEngineStatus, useEventInvalidation, useStartup } from './queries'
import { AgentsPanel } from './components/AgentsPanel'
import { CredentialsPanel } from './components/CredentialsPanel'
import { EngineStatusBar, EngineUnavailable } from './components/EngineStatusBar'
import { EnginesPanel } from './components/EnginesPanel'
import { NewAgentDialog } from './components/NewAgentDialog'
import { QuickLaunch } from './components/QuickLaunch'
import { RemoveDialog } from './components/RemoveDialog'
import { TerminalArea, type OpenTerminal, type TerminalKind } from './components/TerminalArea'
import { Toasts, type Toast } from './components/Toasts'
import { WizardDialog } from './components/WizardDialog'

let toastIds = 0
let focusRequests = 0

export function App() {
  useEventInvalidation()
  const engine = useEngineStatus()
  const status = engine.data
  const connected = status?.state === 'connected'
  const agents = useAgents(connected)
  // Read after the agent list: at hundreds of agents the credential read keeps the engine busy for seconds.
  const credentials = useCredentialState(connected && !agents.isLoading)
  const [newAgent, setNewAgent] = useState<{ project?: string } | null>(null)
  const [removing, setRemoving] = useState<AgentSummary | null>(null)
  const [terminals, setTerminals] = useState<OpenTerminal[]>([])
  const [activeTerminal, setActiveTerminal] = useState<string | undefined>()
  const [toasts, setToasts] = useState<Toast[]>([])
  // The wizard opens by itself on the first run, and from the header later.
  const startup = useStartup()
  const [wizard, setWizard] = useState<boolean | null>(null)
  const showWizard = wizard ?? startup.data?.firstRun === true
  const [transportProblem, setTransportProblem] = useState<string | null>(null)
  useEffect(() => bridge.onTransportProblem?.(setTransportProblem), [])

  const openTerminal = useCallback((ref: { project: string; agent: string; engine?: string }, kind: TerminalKind) => {
    const engine = ref.engine ?? 'local'
    const key = `${kind}:${engine}:${ref.project}/${ref.agent}`
    // Asked for again, an open terminal takes the keyboard again (a new one takes it once connected).
    const focusSeq = ++focusRequests
    setTerminals((ts) => (ts.some((t) => t.key === key) ? ts.map((t) => (t.key === key ? { ...t, focusSeq } : t)) : [...ts, { key, kind, project: ref.project, agent: ref.agent, engine, focusSeq }]))
    setActiveTerminal(key)
  }, [])

  const closeTerminal = (key: string) => {
    setTerminals((ts) => {
      const rest = ts.filter((t) => t.key !== key)
      if (activeTerminal === key) setActiveTerminal(rest[rest.length - 1]?.key)
      return rest
    })
  }

  // Notices from start-up (a settings file set aside) show as toasts until dismissed; negative ids keep them apart.
  const [dismissedNotices, setDismissedNotices] = useState<number[]>([])
  const noticeToasts: Toast[] = (startup.data?.notices ?? [])
    .map((text, i) => ({ id: -1 - i, text }))
    .filter((t) => !dismissedNotices.includes(t.id))

  useEffect(() => {
    const offs = [
      onEvent('ui.newAgent', (p) => setNewAgent(p.project === undefined ? {} : { project: p.project })),
      onEvent('ui.openAgent', (p) => openTerminal(p, 'attach')),
      onEvent('ui.openLogs', (p) => openTerminal(p, 'logs')),
    ]
    // Electron shows a native notification for this; the browser mode, a toast.
    if (bridge.transport === 'browser') {
      offs.push(
        onEvent('agents.exited', (p) =>
          setToasts((ts) => [
            ...ts.slice(-4),
            {
              id: ++toastIds,
              text: `Agent ${agentLabel(p)} exited with code ${p.exitCode}.`,
              action: { label: 'Show logs', run: () => openTerminal(p, 'logs') },
            },
          ]),
        ),
      )
    }
    return () => offs.forEach((off) => off())
  }, [openTerminal])

  return (
    <div className="app">
      <header className="app-header">
        <h1>Clawker Desktop</h1>
        {connected ? (
          <>
            <QuickLaunch onOpenAgent={(project, agent, engine) => openTerminal({ project, agent, engine }, 'attach')} onNewAgent={(project) => setNewAgent({ project })} />
            <button type="button" onClick={() => setWizard(true)}>
              Share login…
            </button>
            <button type="button" className="primary" onClick={() => setNewAgent({})}>
              New agent
            </button>
          </>
        ) : null}
      </header>
      <main className="app-main">
        {transportProblem ? (
          <p role="alert" className="error transport-problem">
            {transportProblem}
          </p>
        ) : null}
        {status?.state === 'unavailable' ? <EngineUnavailable status={status} /> : null}
        {connected ? (
          <div className="columns">
            <div className="column-main">
              <AgentsPanel
                agents={agents.data ?? []}
                loading={agents.isLoading}
                error={agents.error}
                onRemove={setRemoving}
                onOpen={openTerminal}
                onNew={(project) => setNewAgent(project === undefined ? {} : { project })}
              />
              <TerminalArea terminals={terminals} active={activeTerminal} onSelect={setActiveTerminal} onClose={closeTerminal} />
            </div>
            <div className="column-side">
              <EnginesPanel />
              <CredentialsPanel state={credentials.data} error={credentials.error} loading={credentials.isLoading} />
            </div>
          </div>
        ) : null}
      </main>
      <EngineStatusBar status={status} />
      <Toasts
        toasts={[...noticeToasts, ...toasts]}
        onDismiss={(id) => (id < 0 ? setDismissedNotices((d) => [...d, id]) : setToasts((ts) => ts.filter((t) => t.id !== id)))}
      />
      {newAgent ? <NewAgentDialog initialProject={newAgent.project} onClose={() => setNewAgent(null)} /> : null}
      {connected && showWizard ? <WizardDialog onClose={() => setWizard(false)} /> : null}
      {removing ? <RemoveDialog agent={removing} onClose={() => setRemoving(null)} /> : null}
    </div>
  )
}
