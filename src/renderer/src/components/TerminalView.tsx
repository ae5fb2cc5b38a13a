/**
 * One terminal session in xterm.js: keystrokes go in, output comes out, the
 * panel's size is the TTY's. Closing the view closes the session (the agent
 * keeps running: only the attach goes).
 */
import { useEffect, useRef, useState } from 'react'
import { Terminal } from '@xterm/xterm'
import { FitAddon } from '@xterm/addon-fit'
import { WebLinksAddon } from '@xterm/addon-web-links'
import { openableUrl } from '../../../shared/links'
import '@xterm/xterm/css/xterm.css'
import { bridge, call, onEvent } from '../api'
import type { OpenTerminal } from './TerminalArea'
import { terminalTitle } from './TerminalArea'

/** Opens an http(s) link in the user's browser: through the main process in Electron, a new tab (no opener) in the browser mode. */
function openLink(_event: MouseEvent, text: string): void {
  const url = openableUrl(text)
  if (!url) return
  if (bridge.transport === 'electron') void call('app.openExternal', { url }).catch(() => {})
  else window.open(url, '_blank', 'noopener,noreferrer')
}

const STDERR_COLOR = '\x1b[31m'
const RESET = '\x1b[0m'

export default function TerminalView({ terminal, visible }: { terminal: OpenTerminal; visible: boolean }) {
  const host = useRef<HTMLDivElement>(null)
  const fitRef = useRef<FitAddon | null>(null)
  const termRef = useRef<Terminal | null>(null)
  const [status, setStatus] = useState<string>('Connecting…')

  useEffect(() => {
    const term = new Terminal({
      convertEol: terminal.kind === 'logs',
      cursorBlink: terminal.kind !== 'logs',
      disableStdin: terminal.kind === 'logs',
      fontFamily: 'ui-monospace, "SF Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 10_000,
      screenReaderMode: false,
      // OSC 8 hyperlinks: the same check and opener as plain URLs.
      linkHandler: { activate: openLink, allowNonHttpProtocols: false },
    })
    termRef.current = term
    const fit = new FitAddon()
    fitRef.current = fit
    term.loadAddon(fit)
    term.loadAddon(new WebLinksAddon(openLink))
    term.open(host.current!)
    try {
      fit.fit()
    } catch {
      /* not laid out yet; the resize observer fits it */
    }
    const sessionId = crypto.randomUUID()
    let open = true
    const offOutput = onEvent('terminal.output', (m) => {
      if (m.sessionId !== sessionId) return
      term.write(m.stream === 'stderr' ? `${STDERR_COLOR}${m.data}${RESET}` : m.data)
    })
    const offExit = onEvent('terminal.exit', (m) => {
      if (m.sessionId !== sessionId) return
      open = false
      setStatus(m.code === null ? `Ended${m.message ? `: ${m.message}` : ''}.` : `Exited with code ${m.code}.`)
    })
    const input = term.onData((data) => {
      if (open) void call('terminal.input', { sessionId, data }).catch(() => {})
    })
    let lastSize = ''
    const resize = () => {
      try {
        fit.fit()
      } catch {
        return
      }
      const size = `${term.cols}x${term.rows}`
      if (size === lastSize || !open) return
      lastSize = size
      void call('terminal.resize', { sessionId, cols: term.cols, rows: term.rows }).catch(() => {})
    }
    const observer = new ResizeObserver(resize)
    observer.observe(host.current!)
    call('terminal.open', {
      sessionId,
      kind: terminal.kind,
      project: terminal.project,
      agent: terminal.agent,
      ...(terminal.engine && terminal.engine !== 'local' ? { engine: terminal.engine } : {}),
      cols: Math.max(2, term.cols),
      rows: Math.max(1, term.rows),
      ...(terminal.kind === 'logs' ? { tail: 1000, follow: true } : {}),
    }).then(
      () => {
        setStatus(terminal.kind === 'logs' ? 'Following the logs.' : 'Connected.')
        lastSize = `${term.cols}x${term.rows}`
        if (terminal.kind !== 'logs') term.focus()
      },
      (e: Error) => {
        open = false
        setStatus(e.message)
      },
    )
    return () => {
      observer.disconnect()
      offOutput()
      offExit()
      input.dispose()
      if (open) void call('terminal.close', { sessionId }).catch(() => {})
      termRef.current = null
      term.dispose()
    }
  }, [terminal.kind, terminal.project, terminal.agent, terminal.engine])

  useEffect(() => {
    if (visible) {
      try {
        fitRef.current?.fit()
      } catch {
        /* hidden */
      }
    }
  }, [visible])

  // Open or Shell on a terminal already open: the keys go to it, not to the row's button that was clicked.
  const focusSeq = terminal.focusSeq
  const isLogs = terminal.kind === 'logs'
  useEffect(() => {
    if (visible && !isLogs) termRef.current?.focus()
  }, [visible, focusSeq, isLogs])

  return (
    <div className="terminal-view">
      <p className="terminal-status muted" role="status" aria-label={`${terminalTitle(terminal)} status`}>
        {status}
      </p>
      <div ref={host} className="terminal-host" data-testid={`xterm-${terminal.key}`} aria-label={terminalTitle(terminal)} />
    </div>
  )
}
