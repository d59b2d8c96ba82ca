import { create } from 'zustand'
import type { ModelInfo } from '../../../shared/api/models'
import { api, errorMessage } from '../lib/api'

/**
 * The models the endpoints listed when last asked (with digests): what a judge, the embedding
 * model or a price may name. Main checks the same list, so a typo cannot be saved.
 */
interface KnownModelsState {
  models: ModelInfo[]
  loaded: boolean
  error: string | null
  load: () => Promise<void>
}

export const useKnownModels = create<KnownModelsState>()((set) => ({
  models: [],
  loaded: false,
  error: null,
  load: async () => {
    try {
      const listing = await api.invoke('models:list', { refresh: false })
      set({ models: listing.models, loaded: true, error: null })
    } catch (e) {
      set({ error: errorMessage(e), loaded: true })
    }
  },
}))

/** "ollama/llama3.1:8b · digest 1a2b3c4d5e6f" — what a model picker shows for one model. */
export function modelOptionText(m: Pick<ModelInfo, 'key' | 'digest'>): string {
  return m.digest ? `${m.key} · digest ${m.digest.replace(/^sha256:/, '').slice(0, 12)}` : m.key
}
