import { create } from 'zustand'
import type { JobProgress } from '../../../../shared/api/app'
import type {
  BenchmarkAgreement,
  InstanceScores,
  ScoringPasses,
  ScoringSettings,
} from '../../../../shared/api/jury'
import { api, errorMessage } from '../../lib/api'

/**
 * Scoring state for the per-instance view and the agreement panel: one item's votes and metric
 * scores, a run's judge agreement, the jury settings and the progress of a scoring pass.
 */
interface ScoringState {
  items: Record<number, InstanceScores>
  itemErrors: Record<number, string>
  agreement: Record<number, BenchmarkAgreement[]>
  settings: ScoringSettings | null
  /** The running or last scoring pass per run. */
  jobs: Record<number, JobProgress>
  error: string | null
  /** The jury settings form is open (also from an item's "not configured" similarity). */
  editingSettings: boolean
  /** Per run: its recorded scoring passes and failed votes by reason. */
  passes: Record<number, ScoringPasses>
  openSettings: (focus?: 'embedding') => void
  closeSettings: () => void
  loadPasses: (runId: number) => Promise<void>
  loadItem: (runItemId: number) => Promise<void>
  loadAgreement: (runId: number) => Promise<void>
  loadSettings: () => Promise<void>
  saveSettings: (s: ScoringSettings) => Promise<boolean>
  scoreRun: (runId: number) => Promise<void>
  cancelScoring: (runId: number) => Promise<void>
  dismiss: () => void
}

let subscribed = false

export const useScoring = create<ScoringState>()((set, get) => ({
  items: {},
  itemErrors: {},
  agreement: {},
  settings: null,
  jobs: {},
  error: null,
  editingSettings: false,
  passes: {},
  openSettings: (focus) => {
    set({ editingSettings: true })
    // The form sits in the jury panel above the item browser: bring it into view, and move the
    // keyboard focus to the setting asked for (else to the form's first control).
    requestAnimationFrame(() => {
      const form = document.getElementById('jury-settings-form')
      form?.scrollIntoView({ block: 'nearest' })
      const target = form?.querySelector<HTMLElement>(
        focus === 'embedding' ? '[data-testid="embedding-model"]' : 'input, select',
      )
      target?.focus()
    })
  },
  closeSettings: () => set({ editingSettings: false }),
  loadPasses: async (runId) => {
    try {
      const p = await api.invoke('jury:passes', { runId })
      set((s) => ({ passes: { ...s.passes, [runId]: p } }))
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  loadItem: async (runItemId) => {
    try {
      const v = await api.invoke('jury:instance-scores', { runItemId })
      set((s) => ({ items: { ...s.items, [runItemId]: v }, itemErrors: omit(s.itemErrors, runItemId) }))
    } catch (e) {
      set((s) => ({ itemErrors: { ...s.itemErrors, [runItemId]: errorMessage(e) } }))
    }
  },
  loadAgreement: async (runId) => {
    try {
      const a = await api.invoke('jury:agreement', { runId })
      set((s) => ({ agreement: { ...s.agreement, [runId]: a }, error: null }))
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  loadSettings: async () => {
    try {
      set({ settings: await api.invoke('jury:settings') })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  saveSettings: async (settings) => {
    try {
      set({ settings: await api.invoke('jury:settings-set', settings), error: null })
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    }
  },
  scoreRun: async (runId) => {
    if (!subscribed) {
      subscribed = true
      api.on('job:progress', (p) => {
        const m = /^score-(\d+)-/.exec(p.jobId)
        if (p.kind !== 'score' || !m) return
        const id = Number(m[1])
        set((s) => ({ jobs: { ...s.jobs, [id]: p } }))
        if (p.state !== 'running') {
          void get().loadAgreement(id)
          // The pass's outcome is recorded as its job ends: read it a moment later.
          setTimeout(() => void get().loadPasses(id), 150)
          // Refresh the items on screen: their votes and scores changed.
          for (const itemId of Object.keys(get().items)) void get().loadItem(Number(itemId))
        }
      })
    }
    try {
      const started = await api.invoke('jury:score-run', { runId })
      set((s) => ({
        error: null,
        jobs: {
          ...s.jobs,
          [runId]:
            s.jobs[runId]?.jobId === started.jobId
              ? s.jobs[runId]
              : {
                  jobId: started.jobId,
                  kind: 'score',
                  label: `Scoring run ${runId}`,
                  done: 0,
                  total: null,
                  unit: 'items',
                  state: 'running',
                  message: null,
                },
        },
      }))
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  cancelScoring: async (runId) => {
    try {
      await api.invoke('jury:cancel-score', { runId })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  dismiss: () => set({ error: null }),
}))

function omit<T>(record: Record<number, T>, key: number): Record<number, T> {
  const out = { ...record }
  delete out[key]
  return out
}
