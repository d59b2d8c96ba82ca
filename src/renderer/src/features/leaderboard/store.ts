import { create } from 'zustand'
import type { JobProgress } from '../../../../shared/api/app'
import type { Leaderboard, SetPriceInput } from '../../../../shared/api/leaderboard'
import { api, errorMessage } from '../../lib/api'

/**
 * The leaderboard screen's state: the leaderboard for the chosen runs (null: each model ×
 * benchmark's latest scored run) and category (null: all), and the price form's outcome.
 */
interface LeaderboardState {
  data: Leaderboard | null
  loading: boolean
  error: string | null
  runIds: number[] | null
  categoryId: string | null
  /** Show jury scores calibrated to the clinicians (the newest stored calibration) beside the raw ones. */
  calibrated: boolean
  setCalibrated: (on: boolean) => Promise<void>
  /** Each model's own instances instead of the common ones. */
  unpaired: boolean
  adjust: 'holm' | 'bh'
  /** Progress of the bootstrap while the leaderboard is computed. */
  progress: JobProgress | null
  load: () => Promise<void>
  setView: (view: { unpaired?: boolean; adjust?: 'holm' | 'bh' }) => Promise<void>
  setCategory: (categoryId: string | null) => Promise<void>
  setRuns: (runIds: number[] | null) => Promise<void>
  savePrice: (price: SetPriceInput) => Promise<boolean>
  removePrice: (modelKey: string) => Promise<void>
  dismiss: () => void
}

export const useLeaderboard = create<LeaderboardState>()((set, get) => ({
  data: null,
  loading: false,
  error: null,
  runIds: null,
  categoryId: null,
  calibrated: false,
  unpaired: false,
  adjust: 'holm',
  progress: null,
  load: async () => {
    const { runIds, categoryId, unpaired, adjust, calibrated } = get()
    const jobId = `leaderboard-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
    const off = api.on('job:progress', (p) => {
      if (p.jobId === jobId) set({ progress: p.state === 'running' ? p : null })
    })
    set({ loading: true })
    try {
      const data = await api.invoke('leaderboard:get', {
        ...(runIds ? { runIds } : {}),
        ...(categoryId ? { categoryId } : {}),
        ...(calibrated ? { calibration: 'latest' as const } : {}),
        ...(unpaired ? { unpaired } : {}),
        adjust,
        jobId,
      })
      set({ data, loading: false, error: null, progress: null })
    } catch (e) {
      // A calibration that cannot be applied (none stored yet) turns the toggle back off.
      set({
        loading: false,
        error: errorMessage(e),
        progress: null,
        ...(calibrated ? { calibrated: false } : {}),
      })
    } finally {
      off()
    }
  },
  setCalibrated: async (calibrated) => {
    set({ calibrated })
    await get().load()
  },
  setView: async (view) => {
    set(view)
    await get().load()
  },
  setCategory: async (categoryId) => {
    set({ categoryId })
    await get().load()
  },
  setRuns: async (runIds) => {
    set({ runIds: runIds && runIds.length > 0 ? runIds : null })
    await get().load()
  },
  savePrice: async (price) => {
    try {
      await api.invoke('leaderboard:price-set', price)
      await get().load()
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    }
  },
  removePrice: async (modelKey) => {
    try {
      await api.invoke('leaderboard:price-remove', { modelKey })
      await get().load()
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  dismiss: () => set({ error: null }),
}))
