import { create } from 'zustand'
import type { Calibration, JudgeBiasReport } from '../../../../shared/api/calibration'
import { api, errorMessage } from '../../lib/api'

/**
 * The Agreement screen's judge bias report and calibration panels: the bias report of the set on
 * screen, the last fitted calibration and the stored ones. Separate from the review store so the
 * panels load on their own and a refusal (too few rated items) stays in its panel.
 */
interface CalibrationState {
  bias: JudgeBiasReport | null
  biasError: string | null
  calibration: Calibration | null
  calibrations: Calibration[]
  fitting: boolean
  fitError: string | null
  loadBias: (setId: number) => Promise<void>
  loadCalibrations: () => Promise<void>
  fit: (input: { setIds: number[]; folds: number; seed: number }) => Promise<void>
}

export const useCalibration = create<CalibrationState>()((set, get) => ({
  bias: null,
  biasError: null,
  calibration: null,
  calibrations: [],
  fitting: false,
  fitError: null,
  loadBias: async (setId) => {
    set({ bias: null, biasError: null })
    try {
      set({ bias: await api.invoke('review:bias', { setId }) })
    } catch (e) {
      set({ biasError: errorMessage(e) })
    }
  },
  loadCalibrations: async () => {
    try {
      set({ calibrations: await api.invoke('review:calibrations') })
    } catch (e) {
      set({ fitError: errorMessage(e) })
    }
  },
  fit: async (input) => {
    set({ fitting: true, fitError: null })
    try {
      const calibration = await api.invoke('review:calibrate', { ...input, save: true })
      set({ calibration, fitting: false })
      await get().loadCalibrations()
    } catch (e) {
      set({ fitting: false, fitError: errorMessage(e), calibration: null })
    }
  },
}))
