/** The application menu: the platform's standard roles, plus the app's own actions. */
import { Menu, app, type MenuItemConstructorOptions } from 'electron'

export function installAppMenu(actions: { newAgent: () => void }): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Agent…', accelerator: 'CmdOrCtrl+N', click: actions.newAgent },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: `Clawker Desktop ${app.getVersion()}`, enabled: false }] },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
