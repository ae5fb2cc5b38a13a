/** The Electron shell: one instance, one window, the core app behind the typed IPC. Kept thin. */
import { app, BrowserWindow } from 'electron'
import { createApp } from './core/app'
import { bindIpc, forwardEvents } from './ipc'
import { installAppMenu } from './menu'
import { createMainWindow, isTrustedSender } from './window'

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  if (process.env.CLAWKER_DATA_DIR) app.setPath('userData', process.env.CLAWKER_DATA_DIR)
  const core = createApp({ dataDir: app.getPath('userData'), appVersion: app.getVersion() })
  let win: BrowserWindow | undefined

  const showWindow = () => {
    if (!win || win.isDestroyed()) {
      win = createMainWindow()
      forwardEvents(core.hub, win.webContents)
    }
    if (win.isMinimized()) win.restore()
    win.focus()
    return win
  }

  app.on('second-instance', () => showWindow())
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })

  void app.whenReady().then(async () => {
    bindIpc(core.handlers, isTrustedSender)
    installAppMenu({
      newAgent: () => {
        showWindow()
        core.hub.emit('ui.newAgent', {})
      },
    })
    showWindow()
    await core.start()
    app.on('activate', () => showWindow())
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('before-quit', () => void core.stop())
}
