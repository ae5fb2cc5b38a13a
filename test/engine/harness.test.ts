import { describe, expect, it } from 'vitest'
import { baseImage, testDocker } from '../harness/context'

describe('test harness', () => {
  it('reaches a real engine and runs the base image under busybox sh, bash and dash without network', async () => {
    const docker = testDocker()
    const info = await docker.version()
    expect(info.ApiVersion).toMatch(/^\d+\.\d+$/)
    for (const shell of ['/bin/sh', '/bin/bash', '/bin/dash']) {
      const c = await docker.createContainer({
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
