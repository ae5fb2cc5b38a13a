import { describe, expect, it } from 'vitest'
import { cpuPercent, isLiveSample, memoryLimit, memoryUsed } from '../../src/main/docker/stats'

describe('cpuPercent, as the docker CLI computes it', () => {
  it('is the container delta over the system delta, times the CPUs online', () => {
    // 0.5 s of CPU over 4 s of all CPUs' time, 4 CPUs: half a core = 50 %.
    const s = {
      cpu_stats: { cpu_usage: { total_usage: 1_500_000_000 }, system_cpu_usage: 14_000_000_000, online_cpus: 4 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 10_000_000_000 },
    }
    expect(cpuPercent(s)).toBeCloseTo(50)
  })
  it('counts the per-CPU list when online_cpus is missing (older engines)', () => {
    const s = {
      cpu_stats: { cpu_usage: { total_usage: 300, percpu_usage: [1, 2] }, system_cpu_usage: 1200 },
      precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 1000 },
    }
    expect(cpuPercent(s)).toBeCloseTo(200)
  })
  it('is 0 on the first sample (no previous one) and when nothing moved', () => {
    expect(cpuPercent({ cpu_stats: { cpu_usage: { total_usage: 500 }, system_cpu_usage: 9000, online_cpus: 2 }, precpu_stats: {} })).toBeCloseTo(0, 0)
    expect(cpuPercent({ cpu_stats: { cpu_usage: { total_usage: 500 }, system_cpu_usage: 9000, online_cpus: 2 }, precpu_stats: { cpu_usage: { total_usage: 500 }, system_cpu_usage: 9000 } })).toBe(0)
    expect(cpuPercent({})).toBe(0)
  })
})

describe('memoryUsed', () => {
  it('leaves out the inactive page cache, cgroup v2 and v1', () => {
    expect(memoryUsed({ memory_stats: { usage: 10_000, stats: { inactive_file: 4_000 } } })).toBe(6_000)
    expect(memoryUsed({ memory_stats: { usage: 10_000, stats: { total_inactive_file: 1_000 } } })).toBe(9_000)
  })
  it('is the usage when the cache figure is missing or not smaller', () => {
    expect(memoryUsed({ memory_stats: { usage: 10_000 } })).toBe(10_000)
    expect(memoryUsed({ memory_stats: { usage: 10, stats: { inactive_file: 50 } } })).toBe(10)
  })
  it('reads the limit, and a stopped container\'s empty sample is not live', () => {
    expect(memoryLimit({ memory_stats: { usage: 1, limit: 2048 } })).toBe(2048)
    expect(isLiveSample({ memory_stats: {}, cpu_stats: { cpu_usage: { total_usage: 0 } } })).toBe(false)
    expect(isLiveSample({ memory_stats: { usage: 1 } })).toBe(true)
  })
})
