/**
 * The preload: runs sandboxed with context isolation and exposes exactly one object,
 * `window.api`, whose `invoke` and `on` accept only the contract's channel names.
 * No ipcRenderer, no Electron API, no process.env reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { isEventChannel, isInvokeChannel, type WindowApi } from '../shared/api/contract'

const api: WindowApi = {
  invoke(channel, input) {
    if (!isInvokeChannel(channel)) return Promise.reject(new Error(`Unknown channel: ${String(channel)}`))
    return ipcRenderer.invoke(channel, input)
  },
  on(channel, listener) {
    if (!isEventChannel(channel)) throw new Error(`Unknown event: ${String(channel)}`)
    // Never hand the IpcRendererEvent (and its sender) to the page.
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => {
      ipcRenderer.removeListener(channel, wrapped)
    }
  },
}

contextBridge.exposeInMainWorld('api', Object.freeze(api))
