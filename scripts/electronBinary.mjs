// Where the installed Electron binary is, found as electron's own index.js finds it, but
// without its download-on-require (the download is blocked on some machines).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** @returns {string | undefined} */
export function electronBinary(root = '.') {
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : undefined
}
