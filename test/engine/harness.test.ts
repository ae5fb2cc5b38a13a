import { describe, expect, it } from 'vitest'
import { LABEL } from '../../src/main/docker/labels'
import { baseImage, testDocker, testPrefix, uniqueProject } from '../harness/context'

describe('test harness', () => {
  it('reaches a real engine and runs the base image under busybox sh, bash and dash without network', async () => {
    const docker = testDocker()
    const info = await docker.version()
    expect(info.ApiVersion).toMatch(/^\d+\.\d+$/)
    for (const shell of ['/bin/sh', '/bin/bash', '/bin/dash']) {
      // Named with the run's prefix and labelled, so the run's cleanup finds it even if this test dies first.
      const c = await docker.createContainer({
        name: `${testPrefix()}-${uniqueProject('harness')}`,
        Labels: { [LABEL.managed]: 'true' },
        Image: baseImage(),
        Cmd: [shell, '-c', 'echo "$0 ok"'],
        HostConfig: { NetworkMode: 'none', AutoRemove: false },
      })
      await c.start()
      const { StatusCode } = await c.wait()
      const logs = (await c.logs({ stdout: true, stderr: true })) as unknown as Buffer
      await c.remove()
      expect(StatusCode).toBe(0)
      expect(logs.toString('latin1')).toContain(`${shell} ok`)
    }
  })
})
