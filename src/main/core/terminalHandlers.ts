/** The terminal channels: sessions belong to the caller that opened them and end with it. */
import { ClawkerError } from '../../shared/errors'
import type { TerminalSessions } from '../services/terminals'
import type { Handlers } from './dispatch'

type TerminalChannels = 'terminal.open' | 'terminal.input' | 'terminal.resize' | 'terminal.close'

export function terminalHandlers(sessions: TerminalSessions): Pick<Handlers, TerminalChannels> {
  const owners = new Map<string, string>()
  const owned = (sessionId: string, callerId: string) => {
    if (owners.get(sessionId) !== callerId) throw new ClawkerError('not-found', 'That terminal is closed.')
  }
  return {
    'terminal.open': async (req, caller) => {
      const { sessionId } = req
      await sessions.open(
        {
          id: sessionId,
          kind: req.kind,
          ref: { project: req.project, agent: req.agent },
          ...(req.engine ? { engine: req.engine } : {}),
          cols: req.cols,
          rows: req.rows,
          tail: req.tail,
          follow: req.follow,
        },
        {
          output: (data, stream) => caller.emit('terminal.output', { sessionId, data, stream }),
          exit: ({ code, message }) => {
            owners.delete(sessionId)
            caller.emit('terminal.exit', message === undefined ? { sessionId, code } : { sessionId, code, message })
          },
        },
      )
      owners.set(sessionId, caller.id)
      caller.onClose(() => {
        owners.delete(sessionId)
        sessions.close(sessionId)
      })
      return { sessionId }
    },
    'terminal.input': async ({ sessionId, data }, caller) => {
      owned(sessionId, caller.id)
      sessions.input(sessionId, data)
      return null
    },
    'terminal.resize': async ({ sessionId, cols, rows }, caller) => {
      owned(sessionId, caller.id)
      await sessions.resize(sessionId, cols, rows)
      return null
    },
    'terminal.close': async ({ sessionId }, caller) => {
      owned(sessionId, caller.id)
      owners.delete(sessionId)
      sessions.close(sessionId)
      return null
    },
  }
}
