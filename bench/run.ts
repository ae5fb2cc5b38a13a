/**
 * `npm run bench`: each case runs the project and its baseline side by side,
 * alternating, at least 10 times, against a real engine (the one that answers,
 * or a private dockerd). Prints a table and writes bench/results.json.
 * A case without a baseline gives its target as baseline_ms.
 */
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes, randomUUID } from 'node:crypto'
import { chromium } from '@playwright/test'
import type Docker from 'dockerode'
import { acquireEngine, dockerFor } from '../test/harness/engine'
import { ensureBaseImage } from '../test/harness/images'
import { agentTestImage } from '../test/harness/agentImage'
import { removeByPrefix } from '../test/harness/cleanup'
import { connectWire, type WireClient } from '../test/harness/webClient'
import { serviceContext } from '../src/main/services/context'
import { createAgent, listAgents } from '../src/main/services/agents'
import { readCredentialState } from '../src/main/services/credentialState'
import { agentVolumeLabels, containerLabels, globalVolumeLabels, MANAGED_FILTER } from '../src/main/docker/labels'
import { createApp } from '../src/main/core/app'
import { startWebServer } from '../src/main/web/server'

interface Case {
  name: string
  project_ms: number
  baseline_ms: number
  ratio: number
  runs: number
  target: string
}

const RUNS = Number(process.env.BENCH_RUNS ?? 10)
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const round = (x: number) => Math.round(x * 100) / 100
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}
function result(name: string, project: number[], baseline: number[] | number, target: string): Case {
  const p = median(project)
  const b = typeof baseline === 'number' ? baseline : median(baseline)
  return { name, project_ms: round(p), baseline_ms: round(b), ratio: round(p / b), runs: project.length, target }
}
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`)

async function main(): Promise<void> {
  const engine = await acquireEngine()
  const docker = dockerFor(engine)
  const prefix = `clawkerbench${randomBytes(3).toString('hex')}`
  const ctx = serviceContext(docker, { prefix, appVersion: 'bench' })
  const workspace = mkdtempSync(join(tmpdir(), 'clawker-bench-'))
  chmodSync(workspace, 0o755)
  const cases: Case[] = []
  try {
    const image = await agentTestImage(docker, prefix, await ensureBaseImage(docker))
    log(`engine ${engine.dockerHost}, image ${image}`)
    cases.push(await createStart(docker, ctx, image, workspace))
    cases.push(await list200(docker, ctx, image))
    cases.push(await credentialState100(docker, ctx, image))
    cases.push(...(await browserMode(docker, prefix, image, workspace, engine.dockerHost)))
  } finally {
    await removeByPrefix(docker, prefix).catch(() => {})
    await engine.stop()
  }
  mkdirSync('bench', { recursive: true })
  writeFileSync('bench/results.json', `${JSON.stringify({ cases }, null, 2)}\n`)
  const rows = cases.map((c) => `| ${c.name} | ${c.project_ms} | ${c.baseline_ms} | ${c.ratio} | ${c.runs} | ${c.target} |`)
  console.log(['| case | project ms | baseline ms | ratio | runs | target |', '|---|---|---|---|---|---|', ...rows].join('\n'))
}

/** 1. Create and start one agent through the services vs the same container made by `docker run -d`'s API calls. */
async function createStart(docker: Docker, ctx: ReturnType<typeof serviceContext>, image: string, workspace: string): Promise<Case> {
  const project: number[] = []
  const baseline: number[] = []
  await createAgent(ctx, { project: 'warm', agent: 'up', workspace, workspaceMode: 'bind', image, command: ['sleep', '600'], networkMode: 'none' })
  for (let i = 0; i < RUNS; i++) {
    project.push(
      await timed(() => createAgent(ctx, { project: 'cs', agent: `p${i}`, workspace, workspaceMode: 'bind', image, command: ['sleep', '600'], networkMode: 'none' })),
    )
    const ref = { project: 'cs', agent: `b${i}` }
    baseline.push(
      await timed(async () => {
        // What `docker run -d` does: create (volumes made implicitly by name) and start.
        const c = await docker.createContainer({
          name: `${ctx.prefix}.cs.b${i}`,
          Image: image,
          Cmd: ['sleep', '600'],
          Env: ['CLAWKER_PROJECT=cs', `CLAWKER_AGENT=b${i}`],
          Labels: containerLabels({ ref, version: 'bench', image, created: new Date(), workdir: workspace }),
          Tty: true,
          OpenStdin: true,
          HostConfig: {
            NetworkMode: 'none',
            Mounts: [
              { Type: 'bind', Source: workspace, Target: '/workspace' },
              { Type: 'volume', Source: `${ctx.prefix}.cs.b${i}-config`, Target: '/home/claude/.claude' },
              { Type: 'volume', Source: `${ctx.prefix}.cs.b${i}-history`, Target: '/commandhistory' },
              { Type: 'volume', Source: `${ctx.prefix}-globals`, Target: '/home/claude/.clawker-globals' },
            ],
          },
        })
        await c.start()
      }),
    )
  }
  await Promise.all(
    (await docker.listContainers({ all: true, filters: { name: [`${ctx.prefix}.cs.`] } })).map((c) => docker.getContainer(c.Id).remove({ force: true })),
  )
  log('create-start done')
  return result('create-start', project, baseline, 'ratio <= 1.15')
}

/** 2. Listing 200 agents: the service vs one raw listContainers call. */
async function list200(docker: Docker, ctx: ReturnType<typeof serviceContext>, image: string): Promise<Case> {
  for (let i = 0; i < 200; i += 20) {
    await Promise.all(
      Array.from({ length: 20 }, (_, j) =>
        docker.createContainer({
          name: `${ctx.prefix}.list.a${i + j}`,
          Image: image,
          Labels: containerLabels({ ref: { project: 'list', agent: `a${i + j}` }, version: 'bench', image, created: new Date(), workdir: '/w' }),
          HostConfig: { NetworkMode: 'none' },
        }),
      ),
    )
  }
  const project: number[] = []
  const baseline: number[] = []
  for (let i = 0; i < Math.max(RUNS, 15); i++) {
    project.push(await timed(() => listAgents(ctx)))
    baseline.push(await timed(() => docker.listContainers({ all: true, filters: { label: [MANAGED_FILTER], name: [`^/${ctx.prefix}\\.`] } })))
  }
  // Each case on an engine as the previous one found it: the 200 go.
  await Promise.all(
    (await docker.listContainers({ all: true, filters: { name: [`${ctx.prefix}.list.`] } })).map((c) => docker.getContainer(c.Id).remove({ force: true })),
  )
  log('list-200 done')
  return result('list-200', project, baseline, 'project - baseline <= 20 ms')
}

/** 3. The credential state of 100 agent volumes vs reading each volume through a container of its own. */
async function credentialState100(docker: Docker, ctx: ReturnType<typeof serviceContext>, image: string): Promise<Case> {
  await docker.createVolume({ Name: `${ctx.prefix}-globals`, Labels: globalVolumeLabels() }).catch(() => {})
  const names = Array.from({ length: 100 }, (_, i) => `${ctx.prefix}.cred.a${i}-config`)
  await Promise.all(names.map((n, i) => docker.createVolume({ Name: n, Labels: agentVolumeLabels({ project: 'cred', agent: `a${i}` }, 'config') })))
  const naive = async () => {
    for (const n of [...names, `${ctx.prefix}-globals`]) {
      const c = await docker.createContainer({ Image: image, Cmd: ['true'], HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: n, Target: '/v' }] } })
      try {
        await c.getArchive({ path: '/v/.credentials.json' }).catch(() => undefined)
      } finally {
        await c.remove({ force: true })
      }
    }
  }
  const project: number[] = []
  const baseline: number[] = []
  for (let i = 0; i < RUNS; i++) {
    project.push(await timed(() => readCredentialState(ctx)))
    baseline.push(await timed(naive))
  }
  await Promise.all(names.map((n) => docker.getVolume(n).remove().catch(() => {})))
  log('credential-state-100 done')
  return result('credential-state-100', project, baseline, 'project < 1500 ms')
}

/** 4-6. In the browser mode: an outside stop to the page updated; terminal throughput and keystroke echo over the socket. */
async function browserMode(docker: Docker, prefix: string, image: string, workspace: string, dockerHost: string): Promise<Case[]> {
  process.env.DOCKER_HOST = dockerHost
  const app = createApp({ prefix, dataDir: mkdtempSync(join(tmpdir(), 'clawker-bench-data-')), networkMode: 'none' })
  await app.start()
  const server = await startWebServer({ handlers: app.handlers, hub: app.hub, rendererDir: join(process.cwd(), 'out', 'renderer') })
  const ctx = serviceContext(docker, { prefix })
  await createAgent(ctx, { project: 'ev', agent: 'a', workspace, workspaceMode: 'bind', image, command: ['sh'], networkMode: 'none' })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  })
  const cases: Case[] = []
  try {
    // The first screen: from navigation to the agent list shown and the New agent button usable.
    const firstScreen: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const fresh = await browser.newPage()
      const t0 = performance.now()
      await fresh.goto(server.url)
      await fresh.getByRole('listitem', { name: /^ev\/a, / }).waitFor()
      await fresh.getByRole('button', { name: 'New agent', exact: true }).first().click({ trial: true })
      firstScreen.push(performance.now() - t0)
      await fresh.close()
    }
    cases.push(result('first-screen', firstScreen, 1000, 'interactive < 1000 ms'))
    const page = await browser.newPage()
    await page.goto(server.url)
    const row = page.getByRole('listitem', { name: /^ev\/a, / })
    await row.waitFor()
    const latency: number[] = []
    const container = docker.getContainer(`${prefix}.ev.a`)
    for (let i = 0; i < RUNS; i++) {
      await page.getByRole('listitem', { name: /^ev\/a, running/ }).waitFor()
      const t0 = performance.now()
      await container.kill()
      await page.getByRole('listitem', { name: /^ev\/a, exited/ }).waitFor({ timeout: 10_000 })
      latency.push(performance.now() - t0)
      await container.start()
    }
    cases.push(result('event-latency', latency, 250, 'median < 250 ms'))
    log('event-latency done')

    const wire = await connectWire(server.port, server.token)
    cases.push(await terminalThroughput(wire))
    cases.push(await terminalEcho(wire))
    wire.close()
  } finally {
    await browser.close()
    await server.close()
    await app.stop()
  }
  return cases
}

/** Opens the agent's TTY over the socket and collects its output as it arrives. */
async function attach(wire: WireClient) {
  const sessionId = randomUUID()
  let text = ''
  let waiting: { check: (t: string) => boolean; resolve: () => void } | undefined
  const off = wire.onEvent((event, payload) => {
    const p = payload as { sessionId?: string; data?: string }
    if (event !== 'terminal.output' || p.sessionId !== sessionId) return
    text += p.data ?? ''
    if (waiting?.check(text)) {
      waiting.resolve()
      waiting = undefined
    }
  })
  const r = await wire.invoke('terminal.open', { sessionId, kind: 'attach', project: 'ev', agent: 'a', cols: 200, rows: 50 })
  if (!r.ok) throw new Error(r.error.message)
  return {
    send: (data: string) => wire.invoke('terminal.input', { sessionId, data }),
    until: (check: (t: string) => boolean) =>
      new Promise<void>((resolve) => {
        if (check(text)) resolve()
        else waiting = { check, resolve }
      }),
    reset: () => {
      text = ''
    },
    close: async () => {
      off()
      await wire.invoke('terminal.close', { sessionId })
    },
  }
}

async function terminalThroughput(wire: WireClient): Promise<Case> {
  const t = await attach(wire)
  const runs: number[] = []
  for (let i = 0; i < RUNS; i++) {
    t.reset()
    const marker = `END${i}X`
    const t0 = performance.now()
    // 10 MiB of output from the agent's TTY, then a marker.
    await t.send(`head -c 10485760 /dev/zero | tr '\\0' x; echo; echo ${marker.slice(0, 3)}${marker.slice(3)}\r`)
    await t.until((s) => s.includes(`\n${marker}`) || s.includes(`\r\n${marker}`))
    runs.push(performance.now() - t0)
  }
  await t.close()
  log('terminal-throughput-10mb done')
  return result('terminal-throughput-10mb', runs, 2000, 'project < 2000 ms')
}

async function terminalEcho(wire: WireClient): Promise<Case> {
  const t = await attach(wire)
  const runs: number[] = []
  for (let i = 0; i < Math.max(RUNS, 20); i++) {
    t.reset()
    const ch = String.fromCharCode(97 + (i % 26))
    const t0 = performance.now()
    await t.send(ch)
    await t.until((s) => s.includes(ch))
    runs.push(performance.now() - t0)
  }
  await t.send('\u0015')
  await t.close()
  log('terminal-echo done')
  return result('terminal-echo', runs, 30, 'median < 30 ms')
}

main().catch((e: unknown) => {
  console.error(`bench failed: ${(e as Error).stack ?? String(e)}`)
  process.exit(1)
})
