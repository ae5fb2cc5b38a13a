import { describe, expect, it } from 'vitest'
import { dispatch as dispatchAs, type Caller, type Handlers } from '../../src/main/core/dispatch'
import { CHANNEL_NAMES } from '../../src/shared/contract'
import { ClawkerError } from '../../src/shared/errors'

const caller: Caller = { id: 'test', emit: () => {}, onClose: () => {} }
const dispatch = (h: Handlers, channel: unknown, request: unknown) => dispatchAs(h, channel, request, caller)

/** Handlers that record what reached them; every channel present, as the type demands. */
function recordingHandlers(calls: Array<[string, unknown]>): Handlers {
  return Object.fromEntries(
    CHANNEL_NAMES.map((c) => [
      c,
      async (req: unknown) => {
        calls.push([c, req])
        if (c === 'agents.start') throw new ClawkerError('not-found', 'No agent p/a.', { field: 'agent' })
        if (c === 'agents.restart') throw new TypeError('boom')
        return c === 'engine.status' ? 'brave_turing' : null
      },
    ]),
  ) as unknown as Handlers
}

describe('dispatch', () => {
  it('passes a valid request to its handler and answers its value', async () => {
    const calls: Array<[string, unknown]> = []
    expect(await dispatch(recordingHandlers(calls), 'engine.status', {})).toEqual({ ok: true, value: 'brave_turing' })
    expect(calls).toEqual([['engine.status', {}]])
  })

  it('refuses an unknown channel without calling anything', async () => {
    const calls: Array<[string, unknown]> = []
    const r = await dispatch(recordingHandlers(calls), 'shell.exec', { cmd: 'rm -rf /' })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'Unknown channel "shell.exec".' } })
    expect(await dispatch(recordingHandlers(calls), 42, {})).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await dispatch(recordingHandlers(calls), '__proto__', {})).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(calls).toEqual([])
  })

  it.each([
    ['a wrong type', 'agents.remove', { project: 'p', agent: 'a', removeVolumes: 'yes' }, 'removeVolumes'],
    ['a missing field', 'agents.remove', { project: 'p', agent: 'a' }, 'removeVolumes'],
    ['an unknown field', 'agents.start', { project: 'p', agent: 'a', privileged: true }, undefined],
    ['an empty agent', 'agents.start', { project: 'p', agent: '' }, 'agent'],
    ['a huge string', 'agents.start', { project: 'p'.repeat(100_000), agent: 'a' }, 'project'],
    ['not an object', 'agents.start', 'p/a', undefined],
    ['an unknown workspace mode', 'agents.create', { project: 'p', workspace: '/tmp', workspaceMode: 'copy' }, 'workspaceMode'],
    ['a timeout out of range', 'agents.stop', { project: 'p', agent: 'a', timeoutSeconds: -1 }, 'timeoutSeconds'],
  ])('refuses %s with a typed error naming the field', async (_what, channel, request, field) => {
    const calls: Array<[string, unknown]> = []
    const r = await dispatch(recordingHandlers(calls), channel, request)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('invalid-input')
    expect(r.error.field).toBe(field)
    expect(r.error.message.length).toBeLessThan(500)
    expect(calls).toEqual([])
  })

  it('answers a ClawkerError from a handler as it is, and anything else as internal', async () => {
    const h = recordingHandlers([])
    expect(await dispatch(h, 'agents.start', { project: 'p', agent: 'a' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No agent p/a.', field: 'agent' },
    })
    expect(await dispatch(h, 'agents.restart', { project: 'p', agent: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    })
  })
})
