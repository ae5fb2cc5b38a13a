#!/usr/bin/env node
// `npm start`: the Electron app where its binary is installed; otherwise the same
// app in the browser mode, saying why (Electron's binary download is blocked on some machines).
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { electronBinary } from './electronBinary.mjs'

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
