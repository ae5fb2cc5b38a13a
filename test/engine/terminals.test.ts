/** Terminal sessions against real containers: attach, shell, logs, and no leaks. */
import { randomUUID } from 'node:crypto'
import { readdirSync, readlinkSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type Docker from 'dockerode'
import { TerminalSessions, type OutputStream, type TerminalKind } from '../../src/main/services/terminals'
import { containerName, type AgentRef } from '../../src/main/docker/names'
import { MANAGED_FILTER } from '../../src/main/docker/labels'
import { baseImage, testDocker, testPrefix, uniqueProject } from '../harness/context'

const readlinkSafe = (path: string) => {
  try {
    return readlinkSync(path)
  } catch {
    return '' // closed between the listing and the read
  }
}

const docker = testDocker()
const prefix = testPrefix()
const sessions = new TerminalSessions(() => docker, prefix)

async function makeContainer(ref: AgentRef, cmd: string[], tty: boolean, start = true): Promise<Docker.Container> {
  const c = await docker.createContainer({
    name: containerName(ref, prefix),
    Image: baseImage(),
    Cmd: cmd,
    Tty: tty,
    OpenStdin: true,
    StdinOnce: false,
    Env: ['HOME=/root', 'PS1=$ '],
    Labels: { [MANAGED_FILTER.split('=')[0]!]: 'true' },
    HostConfig: { NetworkMode: 'none' },
  })
  if (start) await c.start()
  return c
}

/** Opens a session and collects what it prints. */
async function open(kind: TerminalKind, ref: AgentRef, size = { cols: 80, rows: 24 }, extra = {}) {
  const out: Array<[OutputStream, string]> = []
  let exit: { code: number | null } | undefined
  const id = randomUUID()
  await sessions.open({ id, kind, ref, ...size, ...extra }, {
    output: (data, stream) => out.push([stream, data]),
    exit: (e) => (exit = e),
  })
  const text = (stream?: OutputStream) => out.filter(([s]) => !stream || s === stream).map(([, d]) => d).join('')
  const waitFor = async (re: RegExp, ms = 10_000) => {
    const t0 = Date.now()
    while (!re.test(text())) {
      if (Date.now() - t0 > ms) throw new Error(`no ${re} in ${JSON.stringify(text().slice(-500))}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  return { id, out, text, waitFor, exited: () => exit }
}

describe('terminal sessions', () => {
  const ref = { project: uniqueProject('term'), agent: 'tty' }

  beforeAll(async () => {
    await makeContainer(ref, ['/bin/sh'], true)
  })
  afterAll(() => sessions.closeAll())

  it('attaches to the TTY: keystrokes in, output out, resize reaches the TTY', async () => {
    const t = await open('attach', ref, { cols: 100, rows: 30 })
    sessions.input(t.id, 'echo hel""lo\r')
    await t.waitFor(/\nhello/)
    await sessions.resize(t.id, 132, 43)
    sessions.input(t.id, 'stty size\r')
    await t.waitFor(/43 132/)
    sessions.close(t.id)
  })

  it('detaching leaves the agent running and re-attaching finds the same session', async () => {
    const a = await open('attach', ref)
    sessions.input(a.id, 'MARK=kept-$((40+2))\r')
    await new Promise((r) => setTimeout(r, 300))
    sessions.close(a.id)
    const info = await docker.getContainer(containerName(ref, prefix)).inspect()
    expect(info.State.Running).toBe(true)
    const b = await open('attach', ref)
    sessions.input(b.id, 'echo "$MARK"\r')
    await b.waitFor(/kept-42/)
    sessions.close(b.id)
  })

  it('opens a shell beside the main process and reports its exit code', async () => {
    const t = await open('shell', ref)
    sessions.input(t.id, 'echo shell-$((6*7)); exit 3\r')
    await t.waitFor(/shell-42/)
    const t0 = Date.now()
    while (!t.exited() && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20))
    expect(t.exited()).toEqual({ code: 3 })
  })

  it('shows logs written before and after it opened, stdout and stderr told apart', async () => {
    const logRef = { project: ref.project, agent: 'logs' }
    await makeContainer(logRef, ['/bin/sh', '-c', 'echo before-out; echo before-err >&2; sleep 1; echo after-out; echo after-err >&2; sleep 30'], false)
    await new Promise((r) => setTimeout(r, 300))
    const t = await open('logs', logRef, undefined, { tail: 100, follow: true })
    try {
      // Both lines: the engine copies stdout and stderr apart, so one may come before the other.
      await t.waitFor(/after-out[\s\S]*after-err|after-err[\s\S]*after-out/)
      expect(t.text('stdout')).toBe('before-out\nafter-out\n')
      expect(t.text('stderr')).toBe('before-err\nafter-err\n')
    } finally {
      sessions.close(t.id)
    }
  })

  it('keeps UTF-8 whole when a character is split across chunks', async () => {
    const utfRef = { project: ref.project, agent: 'utf' }
    // 200 000 three-byte characters: Docker's chunks cannot all end on a character boundary.
    await makeContainer(utfRef, ['/bin/sh', '-c', 'i=0; while [ $i -lt 2000 ]; do printf "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€"; i=$((i+1)); done; echo; echo END'], false, false)
    const t = await open('attach', utfRef)
    try {
      await t.waitFor(/END/, 30_000)
      const text = t.text()
      expect(text).not.toContain('\uFFFD')
      expect(text.match(/€/g)?.length).toBe(200_000)
    } finally {
      // Its stream may end after END is read (slower on a busy engine): the next tests count sessions.
      sessions.close(t.id)
    }
  })

  it('releases every stream: 50 terminals opened and closed leave no session or socket behind', async () => {
    // Every attach, exec and logs stream is a connection to the engine: count this process's open sockets.
    const handles = () => readdirSync('/proc/self/fd').filter((fd) => readlinkSafe(`/proc/self/fd/${fd}`).startsWith('socket:')).length
    const before = handles()
    for (let i = 0; i < 50; i++) {
      const t = await open(i % 2 ? 'attach' : 'logs', ref)
      sessions.close(t.id)
    }
    expect(sessions.size).toBe(0)
    await new Promise((r) => setTimeout(r, 500))
    expect(handles()).toBeLessThanOrEqual(before + 2)
  })

  it('says clearly when the agent does not exist', async () => {
    await expect(open('attach', { project: ref.project, agent: 'nobody' })).rejects.toThrow(/no agent .*nobody/i)
    expect(sessions.size).toBe(0)
  })
})
