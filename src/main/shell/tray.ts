/** The tray icon: its menu is the quick-launch model, rebuilt when Docker's events say agents changed. */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron'
import type { QuickLaunchMenu } from '../../shared/contract'
import { resourcePath } from '../services/resources'

export interface TrayActions {
  openAgent(project: string, agent: string, engine: string): void
  newAgent(project: string): void
  openWindow(): void
  quit(): void
}

export function trayTemplate(menu: QuickLaunchMenu, actions: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = []
  for (const p of menu.projects) {
    items.push({ label: p.label, enabled: false })
    for (const a of p.agents) items.push({ label: `   ${a.label}`, click: () => actions.openAgent(a.project, a.agent, a.engine) })
    items.push({ label: `   ${p.newAgentLabel}`, click: () => actions.newAgent(p.project) })
    items.push({ type: 'separator' })
  }
  items.push({ label: 'Open Clawker', click: actions.openWindow }, { label: 'Quit', click: actions.quit })
  return items
}

export function createTray(actions: TrayActions): { update(menu: QuickLaunchMenu): void; destroy(): void } {
  const icon = nativeImage.createFromPath(
    resourcePath(process.platform === 'darwin' ? 'icons/trayTemplate.png' : 'icons/tray.png'),
  )
  if (process.platform === 'darwin') icon.setTemplateImage(true)
  const tray = new Tray(icon)
  tray.setToolTip('Clawker')
  return {
    update(menu) {
      tray.setToolTip(menu.tooltip)
      tray.setContextMenu(Menu.buildFromTemplate(trayTemplate(menu, actions)))
    },
    destroy: () => tray.destroy(),
  }
}
