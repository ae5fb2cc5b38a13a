/**
 * The engine connection follows the engine: it says so at once when the engine
 * goes away and reconnects by itself when it comes back. Needs a dockerd of its
 * own to stop and start, so it runs where the harness may start one.
 */
import { describe, expect, it } from 'vitest'
import { canStartPrivateDockerd, startPrivateDockerd } from '../harness/engine'
import { EngineMonitor, type DockerEvent } from '../../src/main/docker/monitor'
import type { EngineStatus } from '../../src/shared/contract'
import { ClawkerError } from '../../src/shared/errors'
import { inject } from 'vitest'
import { baseImage, testDocker, testPrefix } from '../harness/context'

async function until(check: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
  return Date.now() - start
}

describe('engine monitor', () => {
  it('reports what it tried, with a hint, when nothing answers, and refuses calls with a typed error', async () => {
    const statuses: EngineStatus[] = []
    const monitor = new EngineMonitor({
      candidates: () => [{ source: 'DOCKER_HOST', host: 'unix:///nonexistent/docker.sock' }],
      onStatus: (s) => statuses.push(s),
      onEvent: () => {},
      retryMs: 60_000,
    })
    await monitor.start()
    await monitor.stop()
    expect(statuses).toHaveLength(1)
    const s = statuses[0]!
    expect(s.state).toBe('unavailable')
    if (s.state !== 'unavailable') return
    expect(s.tried).toEqual([{ source: 'DOCKER_HOST', host: 'unix:///nonexistent/docker.sock', error: expect.stringMatching(/ENOENT|connect/) }])
    expect(s.hint).toMatch(/DOCKER_HOST/)
    expect(() => monitor.client()).toThrow(ClawkerError)
  })

  it('follows the engine event stream', async () => {
    const docker = testDocker()
    const events: DockerEvent[] = []
    const monitor = new EngineMonitor({
      candidates: () => [{ source: 'test', host: inject('dockerHost') }],
      onStatus: () => {},
      onEvent: (e) => events.push(e),
    })
    await monitor.start()
    try {
      expect(monitor.status.state).toBe('connected')
      const name = `${testPrefix()}-monitor-probe`
      const c = await docker.createContainer({ name, Image: baseImage(), Cmd: ['true'], HostConfig: { NetworkMode: 'none' } })
      await c.remove()
      await until(() => events.some((e) => e.Type === 'container' && e.Action === 'destroy' && e.Actor.ID === c.id), 5000)
      // Volumes are followed too: a volume removed by anyone changes the Credentials panel.
      await docker.createVolume({ Name: `${name}-v` })
      await docker.getVolume(`${name}-v`).remove()
      await until(() => events.some((e) => e.Type === 'volume' && e.Action === 'destroy' && e.Actor.ID === `${name}-v`), 5000)
      expect(events.every((e) => e.Type === 'container' || e.Type === 'volume')).toBe(true)
      // A container's health comes through; the archive calls of a credential read (each mounts and
      // unmounts the container's volumes), execs and resizes are left at the engine.
      await docker.createVolume({ Name: `${name}-h` })
      const h = await docker.createContainer({
        name: `${name}-h`,
        Image: baseImage(),
        Cmd: ['sleep', '30'],
        Healthcheck: { Test: ['CMD', 'true'], Interval: 100_000_000, StartPeriod: 0, Retries: 1 },
        HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: `${name}-h`, Target: '/h' }] },
      })
      try {
        await h.start()
        await until(() => events.some((e) => e.Actor.ID === h.id && e.Action.startsWith('health_status')), 10_000)
        const exec = await h.exec({ Cmd: ['true'] })
        await exec.start({})
        await h.stop({ t: 0 })
        const archive = await h.getArchive({ path: '/h' })
        archive.resume()
        await new Promise((r) => archive.on('end', r))
        await until(() => events.some((e) => e.Actor.ID === h.id && e.Action === 'die'), 5000)
      } finally {
        await h.remove({ force: true })
        await docker.getVolume(`${name}-h`).remove()
      }
      await until(() => events.some((e) => e.Type === 'volume' && e.Action === 'destroy' && e.Actor.ID === `${name}-h`), 5000)
      const dropped = events.filter((e) => /^(mount|unmount|exec_|archive-path|resize|attach)/.test(e.Action))
      expect(dropped.map((e) => `${e.Type} ${e.Action}`)).toEqual([])
    } finally {
      await monitor.stop()
    }
  })

  it.skipIf(!canStartPrivateDockerd())('says the engine is gone within 2 s and reconnects by itself when it is back', async () => {
    const engine = await startPrivateDockerd()
    const statuses: EngineStatus[] = []
    const monitor = new EngineMonitor({
      candidates: () => [{ source: 'test', host: engine.dockerHost }],
      onStatus: (s) => statuses.push(s),
      onEvent: () => {},
      retryMs: 200,
    })
    let again: Awaited<ReturnType<typeof startPrivateDockerd>> | undefined
    try {
      await monitor.start()
      expect(monitor.status.state).toBe('connected')
      const dir = engine.dockerHost.replace(/^unix:\/\//, '').replace(/\/docker\.sock$/, '')
      const stopping = engine.stop({ keepDir: true })
      // Measured from the moment the engine is asked to stop: the stream closes as it goes.
      const lostAfter = await until(() => monitor.status.state === 'unavailable', 10_000)
      await stopping
      expect(lostAfter).toBeLessThan(2000)
      expect(() => monitor.client()).toThrow(/No Docker engine answers/)
      again = await startPrivateDockerd(dir)
      await until(() => monitor.status.state === 'connected', 10_000)
      expect(statuses.map((s) => s.state)).toEqual(['connected', 'unavailable', 'connected'])
      await expect(monitor.client().ping()).resolves.toBeTruthy()
    } finally {
      await monitor.stop()
      await (again ?? engine).stop()
    }
  }, 90_000)
})
