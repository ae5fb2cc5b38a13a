/**
 * Where the app's resources (entrypoint.sh, keeper.sh, Dockerfile, icons) are:
 * beside the packaged app (electron-builder's extraResources), or the repository's
 * resources/ folder in development and under Node. No Electron import: Electron
 * sets process.resourcesPath, plain Node does not.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

export function resourcesDir(): string {
  if (process.env.CLAWKER_RESOURCES_DIR) return process.env.CLAWKER_RESOURCES_DIR
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged && existsSync(join(packaged, 'resources', 'entrypoint.sh'))) return join(packaged, 'resources')
  // out/main/*.js in a build, src/main/*.ts under Vitest: both two levels below the root.
  for (const up of ['../..', '../../..']) {
    const dir = resolve(__dirname, up, 'resources')
    if (existsSync(join(dir, 'entrypoint.sh'))) return dir
  }
  return resolve(process.cwd(), 'resources')
}

export function resourcePath(name: string): string {
  return join(resourcesDir(), name)
}
