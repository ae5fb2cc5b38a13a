/** Removes what a test run made, found by the managed label and the run's name prefix. */
import type Docker from 'dockerode'
import { MANAGED_FILTER } from '../../src/main/docker/labels'

export async function removeByPrefix(docker: Docker, prefix: string): Promise<void> {
  const mine = (name: string) => name.replace(/^\//, '').startsWith(prefix)
  const containers = await docker.listContainers({ all: true, filters: { label: [MANAGED_FILTER] } })
  await Promise.all(
    containers
      .filter((c) => c.Names.some(mine))
      .map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {})),
  )
  // Helper containers (never started, unlabelled by design of the tests) are named with the prefix too.
  const helpers = await docker.listContainers({ all: true, filters: { name: [prefix] } })
  await Promise.all(
    helpers.filter((c) => c.Names.some(mine)).map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => {})),
  )
  const { Volumes } = await docker.listVolumes()
  await Promise.all(
    (Volumes ?? []).filter((v) => mine(v.Name)).map((v) => docker.getVolume(v.Name).remove().catch(() => {})),
  )
  const images = await docker.listImages({ filters: { label: [MANAGED_FILTER] } })
  await Promise.all(
    images
      .filter((i) => (i.RepoTags ?? []).some(mine))
      .map((i) => docker.getImage(i.Id).remove({ force: true }).catch(() => {})),
  )
}
