#!/usr/bin/env node
// `npm start`: the Electron app where its binary is installed; otherwise the same
// app in the browser mode, saying why (Electron's binary download is blocked on some machines).
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

function electronBinary() {
  const pkg = join('node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : undefined
}

const binary = electronBinary()
const [command, args] = binary
  ? [binary, ['.']]
  : [process.execPath, [join('out', 'main', 'web.js')]]
if (!binary) {
  console.log('Electron binary not installed (run `npx install-electron` where downloads work); starting the browser mode instead.')
}
const child = spawn(command, args, { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
