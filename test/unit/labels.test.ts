import { describe, expect, it } from 'vitest'
import {
  agentVolumeFilter,
  agentVolumeLabels,
  containerLabels,
  globalVolumeLabels,
  imageLabels,
  networkLabels,
  refFromLabels,
} from '../../src/main/docker/labels'

const ref = { project: 'webapp', agent: 'ralph' }
const created = new Date('2026-11-24T10:00:00Z')

describe('labels', () => {
  it('puts exactly the designed labels on a container', () => {
    expect(containerLabels({ ref, version: '0.1.0', image: 'clawker-webapp:latest', created, workdir: '/src/webapp' })).toEqual({
      'com.clawker.managed': 'true',
      'com.clawker.project': 'webapp',
      'com.clawker.agent': 'ralph',
      'com.clawker.version': '0.1.0',
      'com.clawker.image': 'clawker-webapp:latest',
      'com.clawker.created': '2026-11-24T10:00:00.000Z',
      'com.clawker.workdir': '/src/webapp',
    })
  })

  it('labels agent volumes with managed, project, agent and purpose', () => {
    expect(agentVolumeLabels(ref, 'config')).toEqual({
      'com.clawker.managed': 'true',
      'com.clawker.project': 'webapp',
      'com.clawker.agent': 'ralph',
      'com.clawker.purpose': 'config',
    })
  })

  it('labels the global volume with managed and purpose only, so no agent filter can match it', () => {
    const labels = globalVolumeLabels()
    expect(labels).toEqual({ 'com.clawker.managed': 'true', 'com.clawker.purpose': 'globals' })
    const matches = (filter: string[]) => filter.every((f) => {
      const [k, v] = f.split('=')
      return labels[k!] === v
    })
    expect(matches(agentVolumeFilter(ref))).toBe(false)
    expect(matches(agentVolumeFilter({ project: '', agent: 'x' }))).toBe(false)
  })

  it('labels images and networks', () => {
    expect(imageLabels({ project: 'webapp', version: '0.1.0', created })).toEqual({
      'com.clawker.managed': 'true',
      'com.clawker.project': 'webapp',
      'com.clawker.version': '0.1.0',
      'com.clawker.created': '2026-11-24T10:00:00.000Z',
    })
    expect(networkLabels()).toEqual({ 'com.clawker.managed': 'true' })
  })

  it('filters one agent volumes by managed, project and agent', () => {
    expect(agentVolumeFilter(ref)).toEqual(['com.clawker.managed=true', 'com.clawker.project=webapp', 'com.clawker.agent=ralph'])
  })

  it('reads the agent back from labels', () => {
    expect(refFromLabels(agentVolumeLabels(ref, 'history'))).toEqual(ref)
    expect(refFromLabels({ 'com.clawker.managed': 'true', 'com.clawker.agent': 'solo' })).toEqual({ project: '', agent: 'solo' })
    expect(refFromLabels(globalVolumeLabels())).toBeUndefined()
    expect(refFromLabels({ 'com.clawker.agent': 'x' })).toBeUndefined()
    expect(refFromLabels(null)).toBeUndefined()
  })
})
