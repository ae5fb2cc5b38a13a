/**
 * One sample of Docker's stats stream (GET /containers/{id}/stats?stream=1), read
 * the way the docker CLI reads it, so the app and `docker stats` show the same numbers.
 */

/** The parts of a stats sample the app reads (Docker sends many more). */
export interface DockerStatsSample {
  id?: string
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null }; system_cpu_usage?: number; online_cpus?: number }
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number }
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> }
}

/**
 * CPU use in percent of one CPU, as the CLI computes it: the container's CPU time
 * over the host's in the same interval, times the CPUs online (so 2 busy cores = 200).
 * 0 when either delta is not positive (the first sample has no previous one).
 */
export function cpuPercent(s: DockerStatsSample): number {
  // The stream's first sample has no previous one: the CLI's formula would give a lifetime average.
  if (!s.precpu_stats?.system_cpu_usage) return 0
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0)
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0)
  const online = s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || 0
  if (cpuDelta <= 0 || systemDelta <= 0 || online <= 0) return 0
  return (cpuDelta / systemDelta) * online * 100
}

/**
 * Memory in use as the CLI shows it: usage less the inactive page cache the kernel
 * can drop (cgroup v1 `total_inactive_file`, v2 `inactive_file`).
 */
export function memoryUsed(s: DockerStatsSample): number {
  const usage = s.memory_stats?.usage ?? 0
  const stats = s.memory_stats?.stats ?? {}
  const cache = stats.total_inactive_file ?? stats.inactive_file ?? 0
  return cache < usage ? usage - cache : usage
}

/** The memory limit (the host's memory when the container has none). */
export function memoryLimit(s: DockerStatsSample): number {
  return s.memory_stats?.limit ?? 0
}

/** A stopped container's stream sends empty samples: nothing to show. */
export function isLiveSample(s: DockerStatsSample): boolean {
  return (s.memory_stats?.usage ?? 0) > 0 || (s.cpu_stats?.cpu_usage?.total_usage ?? 0) > 0
}
