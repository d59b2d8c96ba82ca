import { create } from 'zustand'
import type { AnchorInfo, ForwardConfigInput, ForwardStatus, KeyInfo } from '../../../../shared/api/audit'
import { api, errorMessage } from '../../lib/api'

/** The proof that the log was not rewritten: the installation key, anchors, and forwarding. */
interface ProofState {
  key: KeyInfo | null
  anchors: { dir: string; total: number; latest: AnchorInfo[] } | null
  forward: ForwardStatus | null
  busy: '' | 'anchor' | 'forward' | 'send'
  error: string | null
  load: () => Promise<void>
  anchorNow: () => Promise<void>
  setForward: (config: ForwardConfigInput) => Promise<boolean>
  forwardOff: () => Promise<void>
  sendNow: () => Promise<void>
  dismiss: () => void
}

export const useProof = create<ProofState>()((set, get) => {
  const act = async (busy: ProofState['busy'], fn: () => Promise<void>): Promise<boolean> => {
    set({ busy })
    try {
      await fn()
      set({ error: null })
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    } finally {
      set({ busy: '' })
    }
  }
  return {
    key: null,
    anchors: null,
    forward: null,
    busy: '',
    error: null,
    load: async () => {
      try {
        const [key, anchors, forward] = await Promise.all([
          api.invoke('audit:key'),
          api.invoke('audit:anchors'),
          api.invoke('audit:forward-status'),
        ])
        set({ key, anchors, forward, error: null })
      } catch (e) {
        set({ error: errorMessage(e) })
      }
    },
    anchorNow: async () => {
      await act('anchor', async () => {
        await api.invoke('audit:anchor')
        await get().load()
      })
    },
    setForward: (config) =>
      act('forward', async () => {
        set({ forward: await api.invoke('audit:forward-set', config) })
      }),
    forwardOff: async () => {
      await act('forward', async () => {
        set({ forward: await api.invoke('audit:forward-off') })
      })
    },
    sendNow: async () => {
      await act('send', async () => {
        set({ forward: await api.invoke('audit:forward-send') })
      })
    },
    dismiss: () => set({ error: null }),
  }
})
