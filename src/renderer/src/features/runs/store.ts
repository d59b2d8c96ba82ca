import { create } from 'zustand'
import type { BenchmarkSummary, TaxonomyView } from '../../../../shared/api/benchmarks'
import type { ModelInfo } from '../../../../shared/api/models'
import type {
  CreateRunInput,
  ItemStatus,
  RunDetail,
  RunItemDetail,
  RunItemRow,
  RunProgress,
  RunSummary,
} from '../../../../shared/api/runs'
import { api, errorMessage } from '../../lib/api'
import { chooseSaveFile } from '../../lib/save-file'

/** Rows of the per-instance browser are fetched in pages as the table scrolls to them. */
export const ITEM_PAGE = 500

export interface ItemFilter {
  status?: ItemStatus
  benchmarkId?: string
  modelKey?: string
}

interface RunsState {
  runs: RunSummary[]
  loaded: boolean
  error: string | null
  /** What the new-run form offers. */
  taxonomy: TaxonomyView | null
  benchmarks: BenchmarkSummary[]
  models: ModelInfo[]
  modelFailures: { endpoint: string; error: string }[]
  refreshingModels: boolean
  starting: boolean
  selectedId: number | null
  detail: RunDetail | null
  /** Latest `runs:progress` per run. */
  progress: Record<number, RunProgress>
  busy: boolean
  filter: ItemFilter
  itemsTotal: number
  /** Sparse: index → row, filled page by page. */
  items: (RunItemRow | undefined)[]
  /** Bumped whenever the item list is reset, so late pages of an old list are dropped. */
  itemsEpoch: number
  selectedItem: RunItemDetail | null
  notice: string | null

  load: () => Promise<void>
  loadOptions: (refreshModels?: boolean) => Promise<void>
  start: (input: CreateRunInput) => Promise<boolean>
  select: (id: number | null) => Promise<void>
  refreshDetail: () => Promise<void>
  act: (action: 'pause' | 'resume' | 'cancel') => Promise<void>
  exportManifest: () => Promise<void>
  setFilter: (filter: ItemFilter) => Promise<void>
  ensureItems: (from: number, to: number) => Promise<void>
  openItem: (itemId: number | null) => Promise<void>
  onProgress: (p: RunProgress) => void
  dismiss: () => void
}

const loadingPages = new Set<string>()

export const useRuns = create<RunsState>()((set, get) => ({
  runs: [],
  loaded: false,
  error: null,
  taxonomy: null,
  benchmarks: [],
  models: [],
  modelFailures: [],
  refreshingModels: false,
  starting: false,
  selectedId: null,
  detail: null,
  progress: {},
  busy: false,
  filter: {},
  itemsTotal: 0,
  items: [],
  itemsEpoch: 0,
  selectedItem: null,
  notice: null,

  load: async () => {
    try {
      const runs = await api.invoke('runs:list')
      set({ runs, loaded: true })
      const { selectedId } = get()
      if (selectedId === null && runs[0]) await get().select(runs[0].id)
    } catch (e) {
      set({ error: errorMessage(e), loaded: true })
    }
  },

  loadOptions: async (refreshModels = false) => {
    set({ refreshingModels: refreshModels })
    try {
      const [taxonomy, benchmarks, listing] = await Promise.all([
        api.invoke('taxonomy:get'),
        api.invoke('benchmarks:list'),
        api.invoke('models:list', { refresh: refreshModels }),
      ])
      set({ taxonomy, benchmarks, models: listing.models, modelFailures: listing.failures })
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ refreshingModels: false })
    }
  },

  start: async (input) => {
    set({ starting: true, error: null })
    try {
      const run = await api.invoke('runs:start', input)
      set((s) => ({ runs: [run, ...s.runs.filter((r) => r.id !== run.id)] }))
      await get().select(run.id)
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    } finally {
      set({ starting: false })
    }
  },

  select: async (id) => {
    set({
      selectedId: id,
      detail: null,
      selectedItem: null,
      filter: {},
      items: [],
      itemsTotal: 0,
      itemsEpoch: get().itemsEpoch + 1,
    })
    if (id === null) return
    await get().refreshDetail()
    await get().ensureItems(0, ITEM_PAGE - 1)
  },

  refreshDetail: async () => {
    const id = get().selectedId
    if (id === null) return
    try {
      const detail = await api.invoke('runs:get', { id })
      if (get().selectedId === id) set({ detail })
      set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...pickSummary(detail) } : r)) }))
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },

  act: async (action) => {
    const id = get().selectedId
    if (id === null) return
    set({ busy: true, error: null })
    try {
      const summary = await api.invoke(`runs:${action}`, { id })
      set((s) => ({ runs: s.runs.map((r) => (r.id === id ? summary : r)) }))
      await get().refreshDetail()
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ busy: false })
    }
  },

  exportManifest: async () => {
    const id = get().selectedId
    if (id === null) return
    try {
      const target = await chooseSaveFile(`run-${id}-manifest.json`, 'json')
      if (!target) return
      const { file } = await api.invoke('runs:export-manifest', { id, ...target })
      set({ notice: `Manifest written to ${file}` })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },

  setFilter: async (filter) => {
    set({ filter, items: [], itemsTotal: 0, itemsEpoch: get().itemsEpoch + 1, selectedItem: null })
    await get().ensureItems(0, ITEM_PAGE - 1)
  },

  ensureItems: async (from, to) => {
    const { selectedId: runId, filter, itemsEpoch: epoch } = get()
    if (runId === null) return
    const first = Math.floor(Math.max(0, from) / ITEM_PAGE)
    const last = Math.floor(Math.max(0, to) / ITEM_PAGE)
    for (let page = first; page <= last; page++) {
      const offset = page * ITEM_PAGE
      const { items, itemsTotal } = get()
      if (itemsTotal > 0 && offset >= itemsTotal) break
      if (items[offset] !== undefined && items[Math.min(offset + ITEM_PAGE, itemsTotal) - 1] !== undefined)
        continue
      const key = `${runId}:${epoch}:${page}`
      if (loadingPages.has(key)) continue
      loadingPages.add(key)
      try {
        const res = await api.invoke('runs:items', { runId, offset, limit: ITEM_PAGE, ...filter })
        if (get().itemsEpoch !== epoch || get().selectedId !== runId) return
        const next = get().items.slice()
        next.length = res.total
        res.rows.forEach((r, i) => (next[offset + i] = r))
        set({ items: next, itemsTotal: res.total })
      } catch (e) {
        set({ error: errorMessage(e) })
      } finally {
        loadingPages.delete(key)
      }
    }
  },

  openItem: async (itemId) => {
    const runId = get().selectedId
    if (itemId === null || runId === null) return set({ selectedItem: null })
    try {
      set({ selectedItem: await api.invoke('runs:item', { runId, itemId }) })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },

  onProgress: (p) => {
    const prev = get().progress[p.runId]
    set((s) => ({
      progress: { ...s.progress, [p.runId]: p },
      runs: s.runs.map((r) =>
        r.id === p.runId ? { ...r, status: p.status, counts: p.counts, active: p.status === 'running' } : r,
      ),
    }))
    const finishedNow = p.status !== 'running' && prev?.status !== p.status
    if (p.runId === get().selectedId && (finishedNow || !prev)) {
      // The run stopped (or just appeared): reload its detail and the rows shown.
      void get().refreshDetail()
      set({ items: [], itemsEpoch: get().itemsEpoch + 1 })
      void get().ensureItems(0, ITEM_PAGE - 1)
    }
    // A run started elsewhere (the CLI on the same database, another window): list it.
    if (!get().starting && !get().runs.some((r) => r.id === p.runId)) void get().load()
  },

  dismiss: () => set({ error: null, notice: null }),
}))

function pickSummary(d: RunDetail): RunSummary {
  const { settings: _s, groups: _g, errors: _e, manifest: _m, ...summary } = d
  return summary
}
