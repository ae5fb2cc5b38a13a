import { describe, expect, it } from 'vitest'
import { senderAllowed } from '../../src/main/core/senderCheck'

const packaged = 'file:///opt/Clawker/resources/app.asar/out/renderer/index.html'
const dev = 'http://localhost:5173/'
const base = { isTopFrame: true, ownWindow: true }

describe('IPC sender check', () => {
  it('answers our own page in our own window', () => {
    expect(senderAllowed({ ...base, frameUrl: packaged, rendererUrl: packaged })).toBe(true)
    expect(senderAllowed({ ...base, frameUrl: `${packaged}#/agents`, rendererUrl: packaged })).toBe(true)
    expect(senderAllowed({ ...base, frameUrl: 'http://localhost:5173/src/x', rendererUrl: dev })).toBe(true)
  })

  it.each([
    ['another local file', { frameUrl: 'file:///tmp/evil.html', rendererUrl: packaged }],
    ['a web page', { frameUrl: 'https://evil.example/', rendererUrl: packaged }],
    ['another origin in development', { frameUrl: 'http://localhost:5174/', rendererUrl: dev }],
    ['no url', { frameUrl: undefined, rendererUrl: packaged }],
    ['a broken url', { frameUrl: 'not a url', rendererUrl: packaged }],
  ])('refuses %s', (_what, o) => {
    expect(senderAllowed({ ...base, ...o })).toBe(false)
  })

  it('refuses a subframe or a window that is not ours', () => {
    expect(senderAllowed({ frameUrl: packaged, rendererUrl: packaged, isTopFrame: false, ownWindow: true })).toBe(false)
    expect(senderAllowed({ frameUrl: packaged, rendererUrl: packaged, isTopFrame: true, ownWindow: false })).toBe(false)
  })
})
