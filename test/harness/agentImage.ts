/** The agent image built from resources/Dockerfile on the busybox base, Claude Code install off. */
import type Docker from 'dockerode'
import { buildProjectImage } from '../../src/main/services/images'
import { serviceContext } from '../../src/main/services/context'

const built = new Map<string, Promise<string>>()

/**
 * Builds the image once per process and tag: a second build of the same tag (its labels hold a
 * creation time) would leave the first one untagged. Test runs build it once, in their global
 * setup, and hand its name to every test (`agentImage()` in context.ts).
 */
export function agentTestImage(docker: Docker, prefix: string, baseImage: string, project = 'agenttest'): Promise<string> {
  const key = `${prefix}/${project}`
  let p = built.get(key)
  if (!p) {
    p = buildProjectImage(serviceContext(docker, { prefix }), {
      project,
      baseImage,
      installClaudeCode: false,
      extraPackages: [],
      networkMode: 'none',
    }).then((r) => r.image)
    built.set(key, p)
  }
  return p
}
