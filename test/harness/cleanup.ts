/** Removes what a test run made, found by the managed label and the run's name prefix, and says what is left. */
import type Docker from 'dockerode'
import { LABEL, MANAGED_FILTER } from '../../src/main/docker/labels'

const mine = (prefix: string) => (name: string) => name.replace(/^\//, '').startsWith(prefix)

export async function removeByPrefix(docker: Docker, prefix: string): Promise<void> {
  const isMine = mine(prefix)
  // Every container named with the prefix: agents, helpers, and the tests' own short-lived ones.
  const containers = await docker.listContainers({ all: true, filters: { name: [prefix] } })
  await Promise.all(
    containers.filter((c) => c.Names.some(isMine)).map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {})),
  )
  const { Volumes } = await docker.listVolumes()
  await Promise.all((Volumes ?? []).filter((v) => isMine(v.Name)).map((v) => docker.getVolume(v.Name).remove().catch(() => {})))
  // Every image tagged with the run's prefix, labelled by the app's build or not (the Claude Code suite's are not).
  // Newest first, one at a time: an image built on another (the Claude Code test image on the agent image) goes before it.
  const images = await docker.listImages({ filters: { reference: [`${prefix}*`] } })
  for (const i of images.filter((i) => (i.RepoTags ?? []).some(isMine)).sort((a, b) => b.Created - a.Created)) {
    await docker.getImage(i.Id).remove({ force: true }).catch(() => {})
  }
}

/**
 * What the run left after cleaning up: containers, volumes and images named with its prefix,
 * and untagged images of the projects it built (an image built twice under one tag leaves one).
 */
export async function leftovers(docker: Docker, prefix: string, projects: string[]): Promise<string[]> {
  const isMine = mine(prefix)
  const [containers, { Volumes }, images, dangling] = await Promise.all([
    docker.listContainers({ all: true, filters: { name: [prefix] } }),
    docker.listVolumes(),
    docker.listImages({ filters: { reference: [`${prefix}*`] } }),
    docker.listImages({ filters: { dangling: ['true'], label: [MANAGED_FILTER] } }),
  ])
  return [
    ...containers.filter((c) => c.Names.some(isMine)).map((c) => `container ${c.Names[0]}`),
    ...(Volumes ?? []).filter((v) => isMine(v.Name)).map((v) => `volume ${v.Name}`),
    ...images.filter((i) => (i.RepoTags ?? []).some(isMine)).map((i) => `image ${i.RepoTags?.join(',')}`),
    ...dangling.filter((i) => projects.includes(i.Labels?.[LABEL.project] ?? '')).map((i) => `untagged image ${i.Id} of ${i.Labels?.[LABEL.project]}`),
  ]
}
