/**
 * `npm run web`: the app without Electron. Serves the built renderer and the
 * contract on 127.0.0.1 until SIGINT/SIGTERM. Respects DOCKER_HOST,
 * CLAWKER_WEB_PORT and CLAWKER_DATA_DIR.
 */
import { join } from 'node:path'
import { createApp } from '../core/app'
import { appOptionsFromEnv } from '../entryOptions'
import { installLastResort } from '../lastResort'
import { startWebServer } from './server'

let token = ''
installLastResort(() => [token])

async function main(): Promise<void> {
  const app = createApp(appOptionsFromEnv())
  await app.start()
  const port = process.env.CLAWKER_WEB_PORT ? Number(process.env.CLAWKER_WEB_PORT) : 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`CLAWKER_WEB_PORT must be a port number, not "${process.env.CLAWKER_WEB_PORT}".`)
  }
  const server = await startWebServer({
    handlers: app.handlers,
    hub: app.hub,
    rendererDir: join(__dirname, '..', 'renderer'),
    port,
  })
  token = server.token
  console.log(`Clawker Desktop (browser mode): ${server.url}`)
  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    console.log(`Clawker Desktop (browser mode): ${signal}, stopping.`)
    void Promise.all([server.close(), app.stop()]).then(() => process.exit(0))
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((e: unknown) => {
  console.error(`Clawker Desktop (browser mode) could not start: ${(e as Error).message ?? String(e)}`)
  process.exit(1)
})
