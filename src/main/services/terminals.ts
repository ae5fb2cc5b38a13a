/**
 * Terminal sessions: a container's TTY (attach), a shell inside it (exec), or its
 * logs, each streamed to one owner and released when the owner closes it or
 * goes away. Output is decoded as UTF-8 per stream (a character split across
 * chunks stays whole) and joined by `outputCoalescer`, so a flood of output is a
 * few large messages while a lone keystroke echo goes out at once.
 */
import type { TerminalKind } from '../../shared/contract'
import { PassThrough, type Duplex, type Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type Docker from 'dockerode'
import { ClawkerError } from '../../shared/errors'
import { containerName, type AgentRef } from '../docker/names'
import { isNotFound, notFound, toClawkerError } from '../docker/errors'
import { outputCoalescer, type OutputStream } from './outputCoalescer'

export type { TerminalKind } from '../../shared/contract'
export type { OutputStream } from './outputCoalescer'

export interface TerminalSink {
  output(data: string, stream: OutputStream): void
  exit(info: { code: number | null; message?: string }): void
}

export interface OpenTerminal {
  /** A fresh UUID from the caller. */
  id: string
  kind: TerminalKind
  ref: AgentRef
  /** The engine the agent runs on (the local one when left out). */
  engine?: string
  cols: number
  rows: number
  /** logs only: lines of history to show first (default 500), and whether to follow. */
  tail?: number
  follow?: boolean
}

interface Session {
  id: string
  kind: TerminalKind
  input?: Duplex
  resize?: (cols: number, rows: number) => Promise<unknown>
  streams: Array<Readable | Duplex>
  closed: boolean
  close(): void
}

/** What opening one session needs. */
interface Opening {
  container: Docker.Container
  info: Docker.ContainerInspectInfo
  req: OpenTerminal
  session: Session
  emit: (stream: OutputStream, data: string) => void
  finish: (code: number | null, message?: string) => void
}

export class TerminalSessions {
  private readonly sessions = new Map<string, Session>()

  constructor(
    private readonly docker: (engine?: string) => Docker,
    private readonly prefix: string,
  ) {}

  get size(): number {
    return this.sessions.size
  }

  async open(req: OpenTerminal, sink: TerminalSink): Promise<string> {
    const docker = this.docker(req.engine)
    const container = docker.getContainer(containerName(req.ref, this.prefix))
    let info: Docker.ContainerInspectInfo
    try {
      info = await container.inspect()
    } catch (e) {
      if (isNotFound(e)) {
        throw notFound(req.ref)
      }
      throw toClawkerError(e, 'opening a terminal')
    }
    const id = req.id
    if (this.sessions.has(id)) throw new ClawkerError('invalid-input', 'That terminal session is already open.')
    const output = outputCoalescer((data, stream) => sink.output(data, stream))
    const emit = output.push
    const session: Session = {
      id,
      kind: req.kind,
      streams: [],
      closed: false,
      close: () => {
        if (session.closed) return
        session.closed = true
        output.cancel()
        this.sessions.delete(id)
        for (const s of session.streams) {
          s.removeAllListeners('data')
          s.destroy()
        }
      },
    }
    const finish = (code: number | null, message?: string) => {
      if (session.closed) return
      // Buffered output goes first.
      output.flush()
      session.close()
      setImmediate(() => sink.exit(message === undefined ? { code } : { code, message }))
    }
    const opening: Opening = { container, info, req, session, emit, finish }
    try {
      if (req.kind === 'logs') await this.openLogs(opening)
      else if (req.kind === 'attach') await this.openAttach(opening)
      else await this.openShell(opening)
    } catch (e) {
      session.close()
      throw e instanceof ClawkerError ? e : toClawkerError(e, `opening the agent's ${req.kind === 'shell' ? 'shell' : 'terminal'}`)
    }
    this.sessions.set(id, session)
    return id
  }

  input(id: string, data: string): void {
    const s = this.get(id)
    if (!s.input) throw new ClawkerError('invalid-input', 'This terminal takes no input (it shows logs).')
    s.input.write(data)
  }

  async resize(id: string, cols: number, rows: number): Promise<void> {
    const s = this.get(id)
    await s.resize?.(cols, rows).catch(() => {
      /* the process may have exited between the panel's resize and ours */
    })
  }

  close(id: string): void {
    this.sessions.get(id)?.close()
  }

  closeAll(): void {
    for (const s of [...this.sessions.values()]) s.close()
  }

  private get(id: string): Session {
    const s = this.sessions.get(id)
    if (!s) throw new ClawkerError('not-found', 'That terminal is closed.')
    return s
  }

  /**
   * Hands a stream to the session: its output to the owner, its input and resize
   * (when it takes them), and its end to the owner with the exit code `exitCode` reads.
   */
  private follow(
    o: Opening,
    stream: Readable | Duplex,
    how: { tty: boolean; input?: boolean; resize?: Session['resize']; exitCode: () => Promise<number | null> },
  ): void {
    o.session.streams.push(stream)
    if (how.input) o.session.input = stream as Duplex
    if (how.resize) o.session.resize = how.resize
    this.pipeOutput(stream, how.tty, o.emit)
    stream.on('end', () => void how.exitCode().then(o.finish, () => o.finish(null)))
    stream.on('error', (e: Error) => o.finish(null, e.message))
  }

  private async openAttach(o: Opening): Promise<void> {
    const { container, info, req } = o
    const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex
    this.follow(o, stream, {
      tty: info.Config.Tty,
      input: true,
      resize: (cols, rows) => container.resize({ w: cols, h: rows }),
      // The attach ends when the container's main process exits: report its code.
      exitCode: async () => {
        const i = await container.inspect()
        return i.State.Running ? null : i.State.ExitCode
      },
    })
    if (!info.State.Running) await container.start()
    // A size change makes the program redraw: a re-attached panel shows the screen, not a blank.
    await container.resize({ w: req.cols, h: Math.max(1, req.rows - 1) }).catch(() => {})
    await container.resize({ w: req.cols, h: req.rows }).catch(() => {})
  }

  private async openShell(o: Opening): Promise<void> {
    const { container, info, req } = o
    if (!info.State.Running) throw new ClawkerError('invalid-input', 'Start the agent before opening a shell in it.')
    const exec = await container.exec({
      Cmd: ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi'],
      User: await this.shellUser(container),
      Tty: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Env: ['TERM=xterm-256color', `COLUMNS=${req.cols}`, `LINES=${req.rows}`],
      WorkingDir: info.Config.WorkingDir || '/',
    })
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex
    this.follow(o, stream, {
      tty: true,
      input: true,
      resize: (cols, rows) => exec.resize({ w: cols, h: rows }),
      exitCode: async () => (await exec.inspect()).ExitCode ?? null,
    })
    await exec.resize({ w: req.cols, h: req.rows }).catch(() => {})
  }

  /** `claude` where the image has that user (every image built from our template), else the image's own user. */
  private async shellUser(container: Docker.Container): Promise<string> {
    const probe = await container.exec({ Cmd: ['id', '-u', 'claude'], User: 'claude', AttachStdout: true, AttachStderr: true })
    const out = await probe.start({ hijack: true, stdin: false })
    await new Promise<void>((resolve) => {
      out.on('end', resolve)
      out.on('error', resolve)
      out.resume()
    })
    const { ExitCode } = await probe.inspect()
    return ExitCode === 0 ? 'claude' : ''
  }

  private async openLogs(o: Opening): Promise<void> {
    const { container, info, req } = o
    const follow = req.follow ?? true
    const opts = { stdout: true, stderr: true, tail: req.tail ?? 500, timestamps: false }
    // Without follow dockerode answers a Buffer, not a stream; wrap it so both go the same way.
    let stream: Readable
    if (follow) {
      stream = (await container.logs({ ...opts, follow: true })) as unknown as Readable
    } else {
      const buffer = (await container.logs({ ...opts, follow: false })) as unknown as Buffer
      stream = new PassThrough()
      ;(stream as PassThrough).end(buffer)
    }
    this.follow(o, stream, { tty: info.Config.Tty, exitCode: async () => null })
  }

  /** A TTY stream is raw; without one Docker multiplexes stdout and stderr with 8-byte frame headers. */
  private pipeOutput(stream: Readable, tty: boolean, emit: (stream: OutputStream, data: string) => void): void {
    if (tty) {
      const decoder = new StringDecoder('utf8')
      stream.on('data', (chunk: Buffer) => emit('tty', decoder.write(chunk)))
      return
    }
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') }
    let pending: Buffer = Buffer.alloc(0)
    stream.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
      while (pending.length >= 8) {
        const size = pending.readUInt32BE(4)
        if (pending.length < 8 + size) break
        const which = pending[0] === 2 ? 'stderr' : 'stdout'
        emit(which, decoders[which].write(pending.subarray(8, 8 + size)))
        pending = pending.subarray(8 + size)
      }
    })
  }
}
