import { describe, expect, it } from 'vitest'
import {
  agentVolumeName,
  assertValidName,
  containerName,
  globalVolumeName,
  imageName,
  InvalidNameError,
  nameProblem,
  networkName,
  parseContainerName,
} from '../../src/main/docker/names'

describe('names', () => {
  it.each(['webapp', 'a', 'A1', '0day', 'my_project', 'my-project', 'v1.2', 'x'.repeat(64)])('accepts %j', (n) => {
    expect(nameProblem('project', n)).toBeUndefined()
    expect(nameProblem('agent', n)).toBeUndefined()
  })

  it.each([
    ['', /empty/],
    ['my project', /not allowed/],
    ['a/b', /not allowed/],
    ['../etc', /not allowed/],
    ['-rf', /not allowed/],
    ['.hidden', /not allowed/],
    ['_under', /not allowed/],
    ['agént', /not allowed/],
    ['tab\there', /not allowed/],
    ['new\nline', /not allowed/],
    ['semi;colon', /not allowed/],
    ['x'.repeat(65), /longer than 64/],
  ])('refuses %j with a clear message', (n, message) => {
    expect(nameProblem('agent', n)).toMatch(message)
    expect(() => assertValidName('agent', n)).toThrow(InvalidNameError)
  })

  it('names the field in the message and the error', () => {
    expect.assertions(2)
    expect(nameProblem('project', 'a b')).toMatch(/^Project name "a b"/)
    try {
      assertValidName('agent', 'a b')
    } catch (e) {
      expect(e).toMatchObject({ field: 'agent', value: 'a b' })
    }
  })

  it('makes container, volume, image and network names as the clawker CLI does', () => {
    const ref = { project: 'webapp', agent: 'ralph' }
    expect(containerName(ref)).toBe('clawker.webapp.ralph')
    expect(agentVolumeName(ref, 'config')).toBe('clawker.webapp.ralph-config')
    expect(agentVolumeName(ref, 'history')).toBe('clawker.webapp.ralph-history')
    expect(agentVolumeName(ref, 'workspace')).toBe('clawker.webapp.ralph-workspace')
    expect(globalVolumeName()).toBe('clawker-globals')
    expect(imageName('webapp')).toBe('clawker-webapp:latest')
    expect(networkName()).toBe('clawker-net')
  })

  it('has the no-project forms', () => {
    const ref = { project: '', agent: 'ralph' }
    expect(containerName(ref)).toBe('clawker.ralph')
    expect(agentVolumeName(ref, 'config')).toBe('clawker.ralph-config')
    expect(imageName('')).toBe('clawker:latest')
  })

  it('takes another prefix (the tests use one per run)', () => {
    expect(containerName({ project: 'p', agent: 'a' }, 'clawkertest1')).toBe('clawkertest1.p.a')
    expect(globalVolumeName('globals', 'clawkertest1')).toBe('clawkertest1-globals')
  })

  it('refuses to build a name from an invalid part', () => {
    expect(() => containerName({ project: '../x', agent: 'a' })).toThrow(/Project name/)
    expect(() => containerName({ project: 'p', agent: '' })).toThrow(/Agent name is empty/)
    expect(() => imageName('a b')).toThrow(InvalidNameError)
  })

  it.each([
    ['clawker.webapp.ralph', { project: 'webapp', agent: 'ralph' }],
    ['/clawker.webapp.ralph', { project: 'webapp', agent: 'ralph' }],
    ['clawker.ralph', { project: '', agent: 'ralph' }],
    ['clawker.webapp.ralph.v2', { project: 'webapp', agent: 'ralph.v2' }],
  ])('parses %j back', (name, ref) => {
    expect(parseContainerName(name)).toEqual(ref)
  })

  it.each(['other.webapp.ralph', 'clawker-webapp', 'clawker.', 'clawker..a', 'clawker.-x.a', 'clawkerx.a'])('does not parse %j', (name) => {
    expect(parseContainerName(name)).toBeUndefined()
  })

  it('round-trips every valid reference', () => {
    for (const ref of [
      { project: 'p', agent: 'a' },
      { project: '', agent: 'solo' },
      { project: 'my-proj_1', agent: 'brave_turing' },
    ]) {
      expect(parseContainerName(containerName(ref))).toEqual(ref)
    }
  })
})
