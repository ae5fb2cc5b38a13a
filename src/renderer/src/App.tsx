import { EngineStatusBar, EngineUnavailable } from './components/EngineStatusBar'
import { useEngineStatus } from './queries'

export function App() {
  const engine = useEngineStatus()
  const status = engine.data
  return (
    <div className="app">
      <header className="app-header">
        <h1>Clawker Desktop</h1>
      </header>
      <main className="app-main">
        {status?.state === 'unavailable' ? <EngineUnavailable status={status} /> : null}
      </main>
      <EngineStatusBar status={status} />
    </div>
  )
}
