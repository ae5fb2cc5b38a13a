/** Exposes exactly the contract as window.clawker; nothing of Node or Electron leaks through. */
import { contextBridge, ipcRenderer } from 'electron'
import { ipcChannel, ipcEvent, isChannel, isEventName } from '../shared/channels'
import type { ClawkerBridge } from '../shared/contract'

const bridge: ClawkerBridge = {
  transport: 'electron',
  invoke: (channel, request) => {
    if (!isChannel(channel)) return Promise.resolve({ ok: false, error: { code: 'invalid-input', message: 'Unknown channel.' } })
    return ipcRenderer.invoke(ipcChannel(channel), request)
  },
  on: (event, listener) => {
    if (!isEventName(event)) return () => {}
    const wrapped = (_e: Electron.IpcRendererEvent, payload: unknown) => listener(payload as never)
    ipcRenderer.on(ipcEvent(event), wrapped)
    return () => ipcRenderer.removeListener(ipcEvent(event), wrapped)
  },
}

contextBridge.exposeInMainWorld('clawker', bridge)
