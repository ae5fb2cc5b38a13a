import { describe, expect, it } from 'vitest'
import { isAgentVolumeEvent } from '../../src/main/core/app'
import type { DockerEvent } from '../../src/main/docker/monitor'

const volume = (Action: string, ID: string): DockerEvent => ({ Type: 'volume', Action, Actor: { ID, Attributes: { driver: 'local' } }, time: 0 })

describe('volume events the Credentials panel follows', () => {
  it("takes our agents' volumes and the shared login volume removed", () => {
    expect(isAgentVolumeEvent(volume('destroy', 'clawker.demo.alpha-config'), 'clawker')).toBe(true)
    expect(isAgentVolumeEvent(volume('destroy', 'clawker.alpha-history'), 'clawker')).toBe(true)
    expect(isAgentVolumeEvent(volume('destroy', 'clawker-globals'), 'clawker')).toBe(true)
  })
  it('leaves creates (said on every mount of an existing volume), mounts, other names, another prefix and containers alone', () => {
    expect(isAgentVolumeEvent(volume('create', 'clawker.demo.alpha-config'), 'clawker')).toBe(false)
    expect(isAgentVolumeEvent(volume('mount', 'clawker.demo.alpha-config'), 'clawker')).toBe(false)
    expect(isAgentVolumeEvent(volume('unmount', 'clawker.demo.alpha-config'), 'clawker')).toBe(false)
    expect(isAgentVolumeEvent(volume('destroy', '3f2a9c'), 'clawker')).toBe(false)
    expect(isAgentVolumeEvent(volume('destroy', 'clawkerx.demo.alpha-config'), 'clawker')).toBe(false)
    expect(isAgentVolumeEvent(volume('destroy', 'clawker-globals'), 'clawkerx')).toBe(false)
    expect(isAgentVolumeEvent({ ...volume('destroy', 'clawker.demo.alpha'), Type: 'container' }, 'clawker')).toBe(false)
  })
})
