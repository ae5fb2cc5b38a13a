/**
 * The first-run migration against real volumes: three agents (two with
 * different logins, one without) and a host login; the chosen login shared,
 * differing logins backed up, links in place; idempotent; resumable after an
 * interruption between volumes with nothing lost.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { serviceContext } from '../../src/main/services/context'
import { applyMigration, loginId, planFor, scanLogins, type MigrationDeps } from '../../src/main/services/migration'
import { readHostLogin } from '../../src/main/services/hostLogin'
import { agentVolumeLabels, globalVolumeLabels } from '../../src/main/docker/labels'
import { readCredentialState } from '../../src/main/services/credentialState'
import { signOutEveryAgent } from '../../src/main/services/signOut'
import { withVolumes } from '../../src/main/services/volumeArchive'
import { fileStates } from '../harness/containers'
import { baseImage, testDocker, testPrefix } from '../harness/context'

const docker = testDocker()
const LINK = '/home/claude/.clawker-globals/.credentials.json'
const login = (n: number, exp: number) =>
  Buffer.from(`{"claudeAiOauth":{"accessToken":"sk-ant-oat01-FAKE-mig-${n}","refreshToken":"sk-ant-ort01-FAKE-mig-${n}","expiresAt":${exp},"scopes":["user:inference"],"subscriptionType":"max"}}`)
const A = login(1, 1893456000000)
const B = login(2, 1893459600000) // expires last: the default
const HOST = login(3, 1893452400000)

let n = 0
/** Three agents (a: login A, b: login B, c: none), a host login in a temporary HOME. */
async function world(extra: { invalid?: boolean } = {}) {
  const prefix = `${testPrefix()}m${n++}`
  const ctx = serviceContext(docker, { prefix, now: () => new Date('2026-11-24T10:15:00Z') })
  const home = mkdtempSync(join(tmpdir(), 'clawker-home-'))
  mkdirSync(join(home, '.claude'))
  writeFileSync(join(home, '.claude', '.credentials.json'), HOST, { mode: 0o600 })
  const names = ['a', 'b', 'c', ...(extra.invalid ? ['d'] : [])]
  const volumes = names.map((a) => `${prefix}.proj.${a}-config`)
  await Promise.all(names.map((a, i) => docker.createVolume({ Name: volumes[i]!, Labels: agentVolumeLabels({ project: 'proj', agent: a }, 'config') })))
  await withVolumes(ctx, volumes.map((name) => ({ name })), async (h) => {
    await h.writeFile(0, '.credentials.json', A, { mode: 0o600, uid: 1001, gid: 1001 })
    await h.writeFile(1, '.credentials.json', B, { mode: 0o644, uid: 1001, gid: 1001 })
    if (extra.invalid) await h.writeFile(3, '.credentials.json', Buffer.from('{not json'), { mode: 0o600, uid: 1001, gid: 1001 })
  })
  const deps: MigrationDeps = { ctx, hostLogin: () => readHostLogin({ env: {}, platform: 'linux', home }) }
  // Mounting a missing volume creates it: the global one only once it exists.
  const files = async (withGlobals = true) => {
    const mounts = [
      ...volumes.map((v, i) => ({ Type: 'volume' as const, Source: v, Target: `/v/${names[i]}` })),
      ...(withGlobals ? [{ Type: 'volume' as const, Source: `${prefix}-globals`, Target: '/v/globals' }] : []),
    ]
    return fileStates(docker, baseImage(), mounts, ['/v/*/.credentials.json*'])
  }
  return { ctx, deps, files, prefix, home }
}

/** Every login's bytes that exist anywhere in the files, so a test can say none was lost. */
const loginsIn = (f: Record<string, { type: string; value: string }>) =>
  new Set(Object.values(f).filter((v) => v.type === 'regular file').map((v) => v.value))

describe('first-run migration', () => {
  it('scans every login, defaults to the one that expires last, and plans without changing anything', async () => {
    const w = await world({ invalid: true })
    const before = await w.files(false)
    const scan = await scanLogins(w.deps)
    expect(scan.host).toMatchObject({ found: true, loginId: loginId(HOST) })
    expect(scan.logins.map((l) => l.id).sort()).toEqual([loginId(A), loginId(B), loginId(HOST)].sort())
    expect(scan.defaultLoginId).toBe(loginId(B))
    expect(scan.globalVolume.exists).toBe(false)
    expect(scan.volumes.map((v) => [v.agent, v.found])).toEqual([['a', 'file'], ['b', 'file'], ['c', 'missing'], ['d', 'invalid']])
    expect(JSON.stringify(scan)).not.toMatch(/FAKE/)
    const plan = planFor(scan, loginId(B))
    expect(plan.global).toBe('write')
    expect(plan.volumes.map((v) => [v.agent, v.action])).toEqual([['a', 'backup-and-link'], ['b', 'link'], ['c', 'link'], ['d', 'skip']])
    expect(await w.files(false)).toEqual(before)
    const { Volumes } = await docker.listVolumes({ filters: { name: [`${w.prefix}-globals`] } })
    expect(Volumes ?? []).toEqual([])
  })

  it('shares the chosen login, keeps differing ones, links every agent, and a second run changes nothing', async () => {
    const w = await world({ invalid: true })
    const report = await applyMigration(w.deps, loginId(B))
    expect(report).toMatchObject({ complete: true, changed: true, global: 'written' })
    expect(report.volumes.map((v) => [v.agent, v.done])).toEqual([
      ['a', 'kept its own login as .credentials.json.bak-20261124T101500Z, then linked'],
      ['b', 'linked'],
      ['c', 'linked'],
      ['d', 'skipped: its credentials file is not valid JSON; left untouched'],
    ])
    const f = await w.files()
    expect(f['/v/globals/.credentials.json']).toEqual({ type: 'regular file', mode: '600', owner: '1001:1001', value: B.toString() })
    // The global volume was first written here, not by an agent: its root must still be claude's.
    const roots = await fileStates(docker, baseImage(), [{ Type: 'volume', Source: `${w.prefix}-globals`, Target: '/g', VolumeOptions: { NoCopy: true } } as never], ['/g'])
    expect(roots['/g']).toMatchObject({ type: 'directory', mode: '700', owner: '1001:1001' })
    for (const a of ['a', 'b', 'c']) expect(f[`/v/${a}/.credentials.json`]).toMatchObject({ type: 'symbolic link', value: LINK, owner: '1001:1001' })
    expect(f['/v/a/.credentials.json.bak-20261124T101500Z']).toEqual({ type: 'regular file', mode: '600', owner: '1001:1001', value: A.toString() })
    expect(f['/v/d/.credentials.json']).toMatchObject({ type: 'regular file', value: '{not json' })
    const labels = (await docker.getVolume(`${w.prefix}-globals`).inspect()).Labels
    expect(labels).toEqual({ 'com.clawker.managed': 'true', 'com.clawker.purpose': 'globals' })

    const again = await applyMigration(w.deps, loginId(B))
    expect(again).toMatchObject({ complete: true, changed: false, global: 'unchanged' })
    expect(again.message).toMatch(/Nothing to do/)
    expect(await w.files()).toEqual(f)
  })

  it('choosing the host login keeps the old shared one as a backup in the global volume', async () => {
    const w = await world()
    await applyMigration(w.deps, loginId(B))
    const report = await applyMigration(w.deps, loginId(HOST))
    expect(report.global).toBe('written')
    expect(report.globalBackup).toBe('.credentials.json.bak-20261124T101500Z')
    expect(report.message).toContain(`kept as .credentials.json.bak-20261124T101500Z in ${w.prefix}-globals`)
    const f = await w.files()
    expect(f['/v/globals/.credentials.json']!.value).toBe(HOST.toString())
    expect(f['/v/globals/.credentials.json.bak-20261124T101500Z']).toMatchObject({ type: 'regular file', mode: '600', value: B.toString() })
    expect(loginsIn(f)).toEqual(new Set([A, B, HOST].map(String)))
  })

  it('an interrupted run loses nothing, and a resumed one finishes the job', async () => {
    const w = await world()
    const stopped = await applyMigration({ ...w.deps, failAfterVolumes: 1 }, loginId(B))
    expect(stopped.complete).toBe(false)
    expect(stopped.message).toMatch(/Stopped: Interrupted after 1 volume/)
    const mid = await w.files()
    expect(loginsIn(mid)).toEqual(new Set([A, B].map(String)))
    expect(mid['/v/a/.credentials.json']).toMatchObject({ type: 'symbolic link' })
    expect(mid['/v/b/.credentials.json']).toMatchObject({ type: 'regular file' })
    const resumed = await applyMigration(w.deps, loginId(B))
    expect(resumed).toMatchObject({ complete: true })
    expect(resumed.volumes.map((v) => [v.agent, v.done])).toEqual([
      ['a', 'already linked; nothing to do'],
      ['b', 'linked'],
      ['c', 'linked'],
    ])
    const f = await w.files()
    expect(loginsIn(f)).toEqual(new Set([A, B].map(String)))
  })

  it('a shared login too large to read in full is never backed up, planned over or replaced', async () => {
    const w = await world()
    // A valid 2 MB login (MCP logins can make the file large): seen scanned as "no login", then lost.
    const big = Buffer.from(JSON.stringify({ claudeAiOauth: JSON.parse(A.toString()).claudeAiOauth, pad: 'x'.repeat(2 * 1024 * 1024) }))
    await docker.createVolume({ Name: `${w.prefix}-globals`, Labels: globalVolumeLabels() })
    await withVolumes(w.ctx, [{ name: `${w.prefix}-globals` }], (h) => h.writeFile(0, '.credentials.json', big, { mode: 0o600, uid: 1001, gid: 1001 }))
    const scan = await scanLogins(w.deps)
    expect(scan.globalFile).toBe('too-large')
    const plan = planFor(scan, loginId(HOST))
    expect(plan.global).toBe('left')
    expect(plan.globalReason).toMatch(/too large to read \(over 1 MiB\): left as it is/)
    expect(new Set(plan.volumes.map((v) => v.action))).toEqual(new Set(['skip']))
    const before = await w.files()
    const report = await applyMigration(w.deps, loginId(HOST))
    expect(report).toMatchObject({ changed: false, global: 'left', globalBackup: null })
    expect(report.message).toMatch(/too large to read.*Nothing was changed/)
    const after = await w.files()
    expect(after).toEqual(before)
    expect(after['/v/globals/.credentials.json']!.value).toBe(big.toString())
    expect(Object.keys(after).filter((k) => k.includes('.bak-'))).toEqual([])
    const state = await readCredentialState(w.ctx)
    expect(state.global).toMatchObject({ valid: false, login: 'too-large' })
  })

  it('sign out every agent keeps the shared login as a backup, leaves no login, and an agent signed out inside is relinked by the wizard', async () => {
    const w = await world()
    await applyMigration(w.deps, loginId(B))
    const result = await signOutEveryAgent(w.ctx)
    expect(result).toEqual({ backup: '.credentials.json.bak-20261124T101500Z', volume: `${w.prefix}-globals` })
    const f = await w.files()
    expect(f['/v/globals/.credentials.json']).toMatchObject({ type: 'regular file', mode: '600', value: '{}\n' })
    expect(f['/v/globals/.credentials.json.bak-20261124T101500Z']).toMatchObject({ mode: '600', value: B.toString() })
    const state = await readCredentialState(w.ctx)
    expect(state.global).toMatchObject({ valid: false, login: 'none' })
    expect(state.agents.map((a) => a.linkState)).toEqual(['linked', 'linked', 'linked'])
    await expect(signOutEveryAgent(w.ctx)).rejects.toMatchObject({ code: 'not-found', message: 'Every agent is already signed out.' })

    // A logout inside agent c (the keeper's marker link): shown as such, and the wizard offers to relink it.
    await withVolumes(w.ctx, [{ name: `${w.prefix}.proj.c-config` }], (h) =>
      h.writeSymlink(0, '.credentials.json', '/home/claude/.claude/.clawker-signed-out', { uid: 1001, gid: 1001 }),
    )
    expect((await readCredentialState(w.ctx)).agents.find((a) => a.agent === 'c')!.linkState).toBe('signed-out')
    const scan = await scanLogins(w.deps)
    expect(scan.volumes.find((v) => v.agent === 'c')!.found).toBe('signed-out')
    expect(planFor(scan, loginId(HOST)).volumes.find((v) => v.agent === 'c')!.action).toBe('link')
  })

  it('refuses a login that is not there', async () => {
    const w = await world()
    await expect(applyMigration(w.deps, 'deadbeef0000')).rejects.toMatchObject({ code: 'not-found' })
  })
})
