import { create } from 'zustand'
import type { TaxonomyView } from '../../../../shared/api/benchmarks'
import { api, errorMessage } from '../../lib/api'

interface TaxonomyState {
  view: TaxonomyView | null
  loading: boolean
  error: string | null
  /** The subcategory whose drill-down is open. */
  selected: string | null
  load: () => Promise<void>
  select: (subcategoryId: string | null) => void
  addTask: (subcategoryId: string, name: string) => Promise<boolean>
  updateTask: (taskId: string, change: { name?: string; subcategoryId?: string }) => Promise<boolean>
  removeTask: (taskId: string) => Promise<boolean>
  mapTask: (taskId: string, benchmarkId: string, mapped: boolean) => Promise<boolean>
  dismissError: () => void
}

export const useTaxonomy = create<TaxonomyState>()((set, get) => {
  /** Runs a task edit, then reloads the view; errors are shown, never swallowed. */
  const edit = async (fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn()
      await get().load()
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    }
  }
  return {
    view: null,
    loading: false,
    error: null,
    selected: null,
    load: async () => {
      set({ loading: true })
      try {
        set({ view: await api.invoke('taxonomy:get'), error: null })
      } catch (e) {
        set({ error: errorMessage(e) })
      } finally {
        set({ loading: false })
      }
    },
    select: (selected) => set({ selected }),
    addTask: (subcategoryId, name) => edit(() => api.invoke('taxonomy:add-task', { subcategoryId, name })),
    updateTask: (taskId, change) => edit(() => api.invoke('taxonomy:update-task', { taskId, ...change })),
    removeTask: (taskId) => edit(() => api.invoke('taxonomy:remove-task', { taskId })),
    mapTask: (taskId, benchmarkId, mapped) =>
      edit(() => api.invoke('taxonomy:map-task', { taskId, benchmarkId, mapped })),
    dismissError: () => set({ error: null }),
  }
})
