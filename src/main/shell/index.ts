/** The Electron shell: one instance, one window, the core app behind the typed IPC. Kept thin. */
import { app, BrowserWindow, dialog, Notification, session, shell } from 'electron'
import { createApp } from '../core/app'
import { appOptionsFromEnv } from '../entryOptions'
import { installLastResort } from '../lastResort'
import { agentLabel } from '../../shared/agentText'
import { WINDOW_CHROMIUM_SWITCHES } from './chromiumSwitches'
import { bindIpc, forwardEvents } from './ipc'
import { installAppMenu } from './menu'
import { createTray } from './tray'
import { createMainWindow, isTrustedSender } from './window'

installLastResort()
// Before the app is ready: Chromium reads its switches when it starts.
for (const [name, value] of WINDOW_CHROMIUM_SWITCHES) app.commandLine.appendSwitch(name, value)

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  if (process.env.CLAWKER_DATA_DIR) app.setPath('userData', process.env.CLAWKER_DATA_DIR)
  let win: BrowserWindow | undefined
  const core = createApp({
    ...appOptionsFromEnv(),
    dataDir: app.getPath('userData'),
    appVersion: app.getVersion(),
    // The core has checked the scheme (http or https); the system's browser opens it, never a window of ours.
    openExternal: (url) => shell.openExternal(url),
    chooseFolder: async (title) => {
      const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] }
      const r = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    chooseFile: async (title) => {
      const options = { title, properties: ['openFile' as const] }
      const r = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
  })

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
    // The renderer needs no camera, microphone, location or notification permission of the web's kind.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) => grant(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
    bindIpc(core.handlers, isTrustedSender)
    installAppMenu({
      newAgent: () => {
        showWindow()
        core.hub.emit('ui.newAgent', {})
      },
    })
    showWindow()
    const tray = createTray({
      openAgent: (project, agent, engine) => {
        showWindow()
        core.hub.emit('ui.openAgent', { project, agent, engine })
      },
      newAgent: (project) => {
        showWindow()
        core.hub.emit('ui.newAgent', { project })
      },
      openWindow: () => void showWindow(),
      quit: () => app.quit(),
    })
    // The menu follows Docker's events, coalesced so a burst of them rebuilds it once.
    let pending: NodeJS.Timeout | undefined
    const refreshTray = () => {
      clearTimeout(pending)
      pending = setTimeout(() => {
        void core.quickLaunchMenu().then(tray.update, () => {})
      }, 150)
    }
    core.hub.subscribe((event, payload) => {
      if (event === 'agents.changed' || event === 'engine.status') refreshTray()
      if (event === 'agents.exited' && Notification.isSupported()) {
        const { project, agent, exitCode } = payload as { project: string; agent: string; exitCode: number }
        const note = new Notification({ title: `Agent ${agentLabel({ project, agent })} exited`, body: `Exit code ${exitCode}. Click to see its logs.` })
        note.on('click', () => {
          showWindow()
          core.hub.emit('ui.openLogs', { project, agent })
        })
        note.show()
      }
    })
    await core.start()
    refreshTray()
    app.on('activate', () => showWindow())
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('before-quit', () => void core.stop())
}
