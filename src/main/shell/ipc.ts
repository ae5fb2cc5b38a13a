/** Binds the contract to Electron's ipcMain, and the event hub to the window. */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { channels, ipcChannel, ipcEvent, type Channel } from '../../shared/contract'
import { dispatch, type Caller, type Handlers } from '../core/dispatch'
import type { EventHub } from '../core/eventHub'

/** Only our own renderer may call: the frame must be the top frame of a window we made, showing our page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

export function bindIpc(handlers: Handlers, isTrustedSender: SenderCheck): () => void {
  const names = Object.keys(channels) as Channel[]
  for (const channel of names) {
    ipcMain.handle(ipcChannel(channel), async (event, request: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'invalid-input', message: 'Refused: the caller is not the Clawker window.' } }
      }
      return dispatch(handlers, channel, request, callerFor(event.sender))
    })
  }
  return () => names.forEach((c) => ipcMain.removeHandler(ipcChannel(c)))
}

const callers = new WeakMap<WebContents, Caller>()

/** One caller per window: its streams are released when the window goes. */
function callerFor(contents: WebContents): Caller {
  let caller = callers.get(contents)
  if (!caller) {
    caller = {
      id: `window-${contents.id}`,
      emit: (event, payload) => {
        if (!contents.isDestroyed()) contents.send(ipcEvent(event), payload)
      },
      onClose: (release) => void contents.once('destroyed', release),
    }
    callers.set(contents, caller)
  }
  return caller
}

export function forwardEvents(hub: EventHub, contents: WebContents): () => void {
  const unsubscribe = hub.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(ipcEvent(event), payload)
  })
  contents.once('destroyed', unsubscribe)
  return unsubscribe
}
