import { ipcMain, webContents, type IpcMainInvokeEvent } from 'electron'
import type { EventBus } from '../app/events'
import type { SenderInfo } from '../security/policy'
import type { Router } from './router'
import { INVOKE_CHANNELS } from '../../shared/api/contract'

function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame
  return { url: frame?.url ?? null, isMainFrame: frame != null && frame.parent === null }
}

/**
 * Binds the router to Electron's ipcMain (one handler per contract channel) and forwards core
 * events to every window. The only file besides the composition root that imports Electron.
 */
export function bindIpc(router: Router, events: EventBus): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, raw: unknown) => router.invoke(channel, raw, senderOf(event)))
  }
  const unsubscribe = events.on((channel, payload) => {
    for (const wc of webContents.getAllWebContents()) {
      if (!wc.isDestroyed() && wc.getType() === 'window') wc.send(channel, payload)
    }
  })
  return () => {
    unsubscribe()
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel)
  }
}
