/**
 * Bad input over the real transport (the browser mode's socket, the same
 * dispatch as Electron's IPC) against the real engine: every malformed request
 * gets a clear typed error, nothing is created, and the app still answers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { createApp, type ClawkerApp } from '../../src/main/core/app'
import { channels } from '../../src/shared/contract'
import { startWebServer, type WebServer } from '../../src/main/web/server'
import { connectWire, type WireClient } from '../harness/webClient'
import { testDocker, testPrefix, uniqueProject } from '../harness/context'

const docker = testDocker()
/** Its own prefix: "nothing created" is counted among its own names, whatever other files do meanwhile. */
const prefix = `${testPrefix()}bad`
const project = uniqueProject('bad')
const folder = mkdtempSync(join(tmpdir(), 'clawker-bad-'))
const aFile = join(folder, 'not-a-folder.txt')
writeFileSync(aFile, 'x')
const huge = 'x'.repeat(200_000)
const ok = { project, workspace: folder, workspaceMode: 'bind' }

/** [what, channel, request, expected code, expected field (undefined: any)] */
const cases: Array<[string, unknown, unknown, string, string | undefined]> = [
  ['unknown channel', 'agents.exec', {}, 'invalid-input', undefined],
  ['channel of another type', 42, {}, 'invalid-input', undefined],
  ['prototype channel', 'constructor', {}, 'invalid-input', undefined],
  ['request not an object', 'agents.list', 'all', 'invalid-input', undefined],
  ['request an array', 'agents.start', [project, 'a'], 'invalid-input', undefined],
  ['extra field on an empty request', 'agents.list', { all: true }, 'invalid-input', undefined],
  ['project a number', 'agents.create', { ...ok, project: 7 }, 'invalid-input', 'project'],
  ['missing workspace', 'agents.create', { project, workspaceMode: 'bind' }, 'invalid-input', 'workspace'],
  ['missing workspace mode', 'agents.create', { project, workspace: folder }, 'invalid-input', 'workspaceMode'],
  ['unknown workspace mode', 'agents.create', { ...ok, workspaceMode: 'copy' }, 'invalid-input', 'workspaceMode'],
  ['start not a boolean', 'agents.create', { ...ok, start: 'yes' }, 'invalid-input', 'start'],
  ['privileged smuggled in', 'agents.create', { ...ok, privileged: true }, 'invalid-input', undefined],
  ['huge project name', 'agents.create', { ...ok, project: huge }, 'invalid-input', 'project'],
  ['huge agent name', 'agents.create', { ...ok, agent: huge }, 'invalid-input', 'agent'],
  ['huge workspace', 'agents.create', { ...ok, workspace: `/${huge}` }, 'invalid-input', 'workspace'],
  ['command not strings', 'agents.create', { ...ok, command: [1, 2] }, 'invalid-input', 'command'],
  ['project with a space', 'agents.create', { ...ok, project: 'my project' }, 'invalid-name', 'project'],
  ['project with a slash', 'agents.create', { ...ok, project: 'a/b' }, 'invalid-name', 'project'],
  ['project path trick', 'agents.create', { ...ok, project: '../etc' }, 'invalid-name', 'project'],
  ['project with a leading dash', 'agents.create', { ...ok, project: '-rf' }, 'invalid-name', 'project'],
  ['project with a leading dot', 'agents.create', { ...ok, project: '.hidden' }, 'invalid-name', 'project'],
  ['agent with a space', 'agents.create', { ...ok, agent: 'my agent' }, 'invalid-name', 'agent'],
  ['agent with a slash', 'agents.create', { ...ok, agent: 'a/b' }, 'invalid-name', 'agent'],
  ['agent path trick', 'agents.create', { ...ok, agent: '..' }, 'invalid-name', 'agent'],
  ['agent with a leading dash', 'agents.create', { ...ok, agent: '--rm' }, 'invalid-name', 'agent'],
  ['agent with unicode', 'agents.create', { ...ok, agent: 'agént' }, 'invalid-name', 'agent'],
  ['agent with a newline', 'agents.create', { ...ok, agent: 'a\nb' }, 'invalid-name', 'agent'],
  ['workspace missing', 'agents.create', { ...ok, workspace: join(folder, 'nope') }, 'workspace-missing', 'workspace'],
  ['workspace a file', 'agents.create', { ...ok, workspace: aFile }, 'workspace-missing', 'workspace'],
  ['workspace relative path trick', 'agents.create', { ...ok, workspace: '../../etc' }, 'workspace-missing', 'workspace'],
  ['start with empty agent', 'agents.start', { project, agent: '' }, 'invalid-input', 'agent'],
  ['start a missing agent', 'agents.start', { project, agent: 'ghost' }, 'not-found', undefined],
  ['stop with a negative timeout', 'agents.stop', { project, agent: 'a', timeoutSeconds: -5 }, 'invalid-input', 'timeoutSeconds'],
  ['stop with a fractional timeout', 'agents.stop', { project, agent: 'a', timeoutSeconds: 1.5 }, 'invalid-input', 'timeoutSeconds'],
  ['remove without saying about volumes', 'agents.remove', { project, agent: 'a' }, 'invalid-input', 'removeVolumes'],
  ['remove with a path trick', 'agents.remove', { project: '..', agent: '..', removeVolumes: true }, 'invalid-name', undefined],
  ['build with a bad package name', 'images.build', { project, baseImage: 'debian', installClaudeCode: false, extraPackages: ['curl; rm -rf /'] }, 'invalid-input', 'extraPackages'],
  ['restart with a path trick', 'agents.restart', { project: '..', agent: 'x' }, 'invalid-name', undefined],
  ['stop a project named by a number', 'projects.stopAll', { project: 5 }, 'invalid-input', 'project'],
  ['sign out without confirming', 'credentials.signOutAll', { confirm: false }, 'invalid-input', 'confirm'],
  ['wizard plan with a huge login id', 'wizard.plan', { loginId: huge }, 'invalid-input', 'loginId'],
  ['wizard apply without confirming', 'wizard.apply', { loginId: 'abc', confirm: false }, 'invalid-input', 'confirm'],
  ['terminal resized to no rows', 'terminal.resize', { sessionId: '6f1c1c1e-4a7a-4b1a-9a7a-1c1e4a7a4b1a', cols: 80, rows: 0 }, 'invalid-input', 'rows'],
  ['terminal closed with a bad session id', 'terminal.close', { sessionId: 'x' }, 'invalid-input', 'sessionId'],
  ['image with a trailing slash', 'agents.create', { ...ok, image: 'ubuntu/' }, 'invalid-input', 'image'],
  ['image with a relative path', 'agents.create', { ...ok, image: './img' }, 'invalid-input', 'image'],
  ['image climbing out of the API path', 'agents.create', { ...ok, image: '../../etc/passwd' }, 'invalid-input', 'image'],
  ['image naming another address', 'agents.create', { ...ok, image: '../../127.0.0.1:9/x' }, 'invalid-input', 'image'],
  ['image in uppercase', 'agents.create', { ...ok, image: 'Ubuntu' }, 'invalid-input', 'image'],
  ['base image with path syntax', 'images.build', { project, baseImage: '../../127.0.0.1:9/x', installClaudeCode: false, extraPackages: [] }, 'invalid-input', 'baseImage'],
  ['workspace the whole computer', 'agents.create', { ...ok, workspace: '/' }, 'invalid-input', 'workspace'],
  ['workspace the engine socket folder', 'agents.create', { ...ok, workspace: '/run' }, 'invalid-input', 'workspace'],
  ['a link that is not http(s)', 'app.openExternal', { url: 'file:///etc/passwd' }, 'invalid-input', 'url'],
  ['engine added with a path for a name', 'engines.add', { name: '../x', host: 'ssh://me@box' }, 'invalid-name', 'name'],
  ['engine added with neither address nor context', 'engines.add', { name: 'box' }, 'invalid-input', 'host'],
  ['engine address of another scheme', 'engines.add', { name: 'box', host: 'http://127.0.0.1:9/x' }, 'invalid-input', 'host'],
  ['engine removed by a number', 'engines.remove', { id: 5 }, 'invalid-input', 'id'],
  ['login sync of an unknown engine', 'engines.setLoginSync', { id: 'ghost', syncLogin: false }, 'not-found', 'engine'],
  ['an agent on an unknown engine', 'agents.start', { engine: 'ghost', project, agent: 'a' }, 'not-found', 'engine'],
  ['terminal with a bad session id', 'terminal.open', { sessionId: 'x', kind: 'attach', project, agent: 'a', cols: 80, rows: 24 }, 'invalid-input', 'sessionId'],
  ['terminal of absurd size', 'terminal.open', { sessionId: '6f1c1c1e-4a7a-4b1a-9a7a-1c1e4a7a4b1a', kind: 'attach', project, agent: 'a', cols: 100000, rows: 24 }, 'invalid-input', 'cols'],
  ['a folder dialog title of the wrong type', 'dialog.chooseFolder', { title: 42 }, 'invalid-input', 'title'],
  ['a file dialog title of the wrong type', 'dialog.chooseFile', { title: 42 }, 'invalid-input', 'title'],
  ['stop a selection of none', 'agents.stopMany', { agents: [] }, 'invalid-input', 'agents'],
  ['start a selection beyond the bound', 'agents.startMany', { agents: Array.from({ length: 1001 }, (_, i) => ({ project, agent: `a${i}` })) }, 'invalid-input', 'agents'],
  ['remove a selection without saying about volumes', 'agents.removeMany', { agents: [{ project, agent: 'a' }] }, 'invalid-input', 'removeVolumes'],
  ['remove a selection with a path trick', 'agents.removeMany', { agents: [{ project: '..', agent: '..' }], removeVolumes: true }, 'invalid-name', undefined],
  ['watch more agents than a window may', 'agents.watchStats', { agents: Array.from({ length: 65 }, (_, i) => ({ project, agent: `a${i}` })) }, 'invalid-input', 'agents'],
  ['watch an agent named with a path trick', 'agents.watchStats', { agents: [{ project: '..', agent: 'x' }] }, 'invalid-name', undefined],
  ['input to a terminal never opened', 'terminal.input', { sessionId: '6f1c1c1e-4a7a-4b1a-9a7a-1c1e4a7a4b1a', data: 'ls\r' }, 'not-found', undefined],
]

let app: ClawkerApp
let server: WebServer
let wire: WireClient

async function counts() {
  const [containers, volumes] = await Promise.all([docker.listContainers({ all: true }), docker.listVolumes()])
  const mine = (n: string) => n.replace(/^\//, '').startsWith(prefix)
  return {
    containers: containers.filter((c) => c.Names.some(mine)).length,
    volumes: (volumes.Volumes ?? []).filter((v) => mine(v.Name)).length,
  }
}

beforeAll(async () => {
  process.env.DOCKER_HOST = inject('dockerHost')
  app = createApp({ prefix, dataDir: mkdtempSync(join(tmpdir(), 'clawker-bad-data-')) })
  await app.start()
  server = await startWebServer({ handlers: app.handlers, hub: app.hub, rendererDir: folder })
  wire = await connectWire(server.port, server.token)
})

afterAll(async () => {
  wire?.close()
  await server?.close()
  await app?.stop()
})

describe(`${cases.length} malformed requests`, () => {
  it('covers every channel whose request has fields', () => {
    const withFields = Object.entries(channels)
      .filter(([, c]) => Object.keys((c.request as { shape?: object }).shape ?? {}).length > 0)
      .map(([name]) => name)
    const covered = new Set(cases.map((c) => c[1]))
    expect(withFields.filter((name) => !covered.has(name))).toEqual([])
  })

  it.each(cases)('%s: a typed error, nothing created', async (_what, channel, request, code, field) => {
    const before = await counts()
    const r = await wire.invoke(channel, request)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe(code)
    if (field !== undefined) expect(r.error.field).toBe(field)
    expect(r.error.message.length).toBeGreaterThan(10)
    expect(r.error.message.length).toBeLessThan(600)
    expect(r.error.message).not.toContain(huge.slice(0, 100))
    expect(await counts()).toEqual(before)
  })

  it('answers frames that are not JSON, or not a request, and still serves', async () => {
    expect(await wire.raw('{not json')).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await wire.raw(JSON.stringify({ type: 'subscribe', id: 1 }))).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await wire.raw(Buffer.from([0, 1, 2]))).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await wire.invoke('engine.status', {})).toMatchObject({ ok: true, value: { state: 'connected' } })
    // The browser mode has no native folder picker: it answers null, and the page shows a text field.
    expect(await wire.invoke('dialog.chooseFolder', {})).toEqual({ ok: true, value: null })
  })
})
