import { create } from 'zustand'
import type { AppInfo, OllamaStatus } from '../../../shared/api/app'
import { api, errorMessage } from '../lib/api'

interface StatusState {
  app: AppInfo | null
  ollama: OllamaStatus | null
  checking: boolean
  error: string | null
  loadApp: () => Promise<void>
  checkOllama: () => Promise<void>
}

export const useStatus = create<StatusState>()((set) => ({
  app: null,
  ollama: null,
  checking: false,
  error: null,
  loadApp: async () => {
    try {
      set({ app: await api.invoke('app:info'), error: null })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  checkOllama: async () => {
    set({ checking: true })
    try {
      set({ ollama: await api.invoke('app:ollama-status'), error: null })
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ checking: false })
    }
  },
}))
