/** Which volumes are read through the engine's volumes folder, and which are mounted. */
import { describe, expect, it } from 'vitest'
import { planReads, plainVolumesFolder, type VolumeWhere } from '../../src/main/services/volumesFolder'

const plain = (name: string, root = '/var/lib/docker/volumes'): { name: string; where: VolumeWhere } => ({
  name,
  where: { driver: 'local', mountpoint: `${root}/${name}/_data`, options: null },
})

describe('plainVolumesFolder', () => {
  it('is the folder above <name>/_data for a local volume without options', () => {
    expect(plainVolumesFolder('a', plain('a').where)).toBe('/var/lib/docker/volumes')
    expect(plainVolumesFolder('a', { ...plain('a').where, options: {} })).toBe('/var/lib/docker/volumes')
    // Rootless Docker keeps them under the user's home.
    expect(plainVolumesFolder('a', plain('a', '/home/u/.local/share/docker/volumes').where)).toBe('/home/u/.local/share/docker/volumes')
  })

  it('is undefined for a volume whose files are not simply in that folder', () => {
    // Options (nfs, tmpfs, a bind device): the folder is filled only while the volume is mounted.
    expect(plainVolumesFolder('a', { ...plain('a').where, options: { type: 'none', o: 'bind', device: '/srv/x' } })).toBeUndefined()
    expect(plainVolumesFolder('a', { ...plain('a').where, driver: 'rexray' })).toBeUndefined()
    // A mount point of another shape, or another volume's.
    expect(plainVolumesFolder('a', { driver: 'local', mountpoint: '/mnt/a', options: null })).toBeUndefined()
    expect(plainVolumesFolder('a', plain('b').where)).toBeUndefined()
    expect(plainVolumesFolder('a', { driver: 'local', mountpoint: 'volumes/a/_data', options: null })).toBeUndefined()
  })
})

describe('planReads', () => {
  it('reads through the folder most volumes share and mounts the rest, keeping every index once', () => {
    const volumes = [plain('a'), plain('b', '/other'), { ...plain('c'), where: { ...plain('c').where, options: { type: 'tmpfs' } } }, plain('d')]
    expect(planReads(volumes)).toEqual({ folder: '/var/lib/docker/volumes', throughFolder: [0, 3], mounted: [1, 2] })
  })

  it('mounts everything when no volume is plain', () => {
    expect(planReads([{ name: 'a', where: { driver: 'nfs', mountpoint: '/x', options: null } }])).toEqual({ folder: undefined, throughFolder: [], mounted: [0] })
    expect(planReads([])).toEqual({ folder: undefined, throughFolder: [], mounted: [] })
  })
})
