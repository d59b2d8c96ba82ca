import { create } from 'zustand'
import type {
  BenchmarkDetail,
  BenchmarkSummary,
  ImportPreview,
  ImportResult,
  ImporterInfo,
  InstanceRow,
} from '../../../../shared/api/benchmarks'
import type { JobProgress } from '../../../../shared/api/app'
import type { CatalogEntry } from '../../../../shared/benchmarks/taxonomy'
import { ApiError, type ApiIssue } from '../../../../shared/api/envelope'
import { api, errorMessage } from '../../lib/api'

// --- Benchmarks list and detail ------------------------------------------------------------------

interface BenchmarksState {
  list: BenchmarkSummary[] | null
  formats: ImporterInfo[]
  catalog: CatalogEntry[]
  loading: boolean
  error: string | null
  selectedId: string | null
  detail: BenchmarkDetail | null
  load: () => Promise<void>
  open: (id: string | null) => void
  remove: (id: string) => Promise<void>
  restoreSamples: () => Promise<string[]>
  dismissError: () => void
}

export const useBenchmarks = create<BenchmarksState>()((set, get) => ({
  list: null,
  formats: [],
  catalog: [],
  loading: false,
  error: null,
  selectedId: null,
  detail: null,
  load: async () => {
    set({ loading: true })
    try {
      const [list, formats, catalog] = await Promise.all([
        api.invoke('benchmarks:list'),
        get().formats.length ? Promise.resolve(get().formats) : api.invoke('benchmarks:formats'),
        get().catalog.length ? Promise.resolve(get().catalog) : api.invoke('benchmarks:catalog'),
      ])
      set({ list, formats, catalog, error: null })
      const id = get().selectedId
      if (id) {
        if (list.some((b) => b.id === id)) set({ detail: await api.invoke('benchmarks:get', { id }) })
        else set({ selectedId: null, detail: null })
      }
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ loading: false })
    }
  },
  open: (id) => {
    set({ selectedId: id, detail: id && get().detail?.id === id ? get().detail : null })
    if (!id) return
    api.invoke('benchmarks:get', { id }).then(
      (detail) => {
        if (get().selectedId === id) set({ detail })
      },
      (e: unknown) => set({ error: errorMessage(e) }),
    )
  },
  remove: async (id) => {
    try {
      await api.invoke('benchmarks:delete', { id })
      set({ selectedId: null, detail: null })
      await get().load()
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  restoreSamples: async () => {
    try {
      const { restored } = await api.invoke('benchmarks:restore-samples')
      await get().load()
      return restored
    } catch (e) {
      set({ error: errorMessage(e) })
      return []
    }
  },
  dismissError: () => set({ error: null }),
}))

// --- Instance browser ----------------------------------------------------------------------------

export const PAGE_SIZE = 200

interface InstancesState {
  benchmarkId: string | null
  version: string | null
  search: string
  total: number | null
  pages: Record<number, InstanceRow[]>
  loadingPages: Record<number, true>
  error: string | null
  selected: InstanceRow | null
  /** Bumped on every reset so late answers for an old query are dropped. */
  generation: number
  reset: (benchmarkId: string | null, version: string | null) => void
  setSearch: (search: string) => void
  ensurePage: (page: number) => Promise<void>
  select: (row: InstanceRow | null) => void
}

export const useInstances = create<InstancesState>()((set, get) => ({
  benchmarkId: null,
  version: null,
  search: '',
  total: null,
  pages: {},
  loadingPages: {},
  error: null,
  selected: null,
  generation: 0,
  reset: (benchmarkId, version) => {
    set((s) => ({
      benchmarkId,
      version,
      search: '',
      total: null,
      pages: {},
      loadingPages: {},
      error: null,
      selected: null,
      generation: s.generation + 1,
    }))
    if (benchmarkId) void get().ensurePage(0)
  },
  setSearch: (search) => {
    set((s) => ({
      search,
      total: null,
      pages: {},
      loadingPages: {},
      selected: null,
      generation: s.generation + 1,
    }))
    void get().ensurePage(0)
  },
  ensurePage: async (page) => {
    const s = get()
    if (!s.benchmarkId || s.pages[page] || s.loadingPages[page]) return
    const generation = s.generation
    set({ loadingPages: { ...s.loadingPages, [page]: true } })
    try {
      const res = await api.invoke('benchmarks:instances', {
        benchmarkId: s.benchmarkId,
        ...(s.version ? { version: s.version } : {}),
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        ...(s.search.trim() ? { search: s.search.trim() } : {}),
      })
      if (get().generation !== generation) return
      set((cur) => ({ total: res.total, pages: { ...cur.pages, [page]: res.rows }, error: null }))
    } catch (e) {
      if (get().generation === generation) set({ error: errorMessage(e) })
    } finally {
      if (get().generation === generation)
        set((cur) => {
          const loadingPages = { ...cur.loadingPages }
          delete loadingPages[page]
          return { loadingPages }
        })
    }
  },
  select: (selected) => set({ selected }),
}))

// --- Import wizard -------------------------------------------------------------------------------

export type WizardStep = 'source' | 'review' | 'importing' | 'done' | 'failed'
export type MapField = 'input' | 'reference' | 'id' | 'choices' | 'split' | 'metadata'

export interface WizardSettings {
  name: string
  benchmarkId: string
  subcategory: string
  taskType: string
  access: string
  version: string
  catalog: string
}

const EMPTY_SETTINGS: WizardSettings = {
  name: '',
  benchmarkId: '',
  subcategory: '',
  taskType: '',
  access: 'private',
  version: '',
  catalog: '',
}

interface WizardState {
  open: boolean
  step: WizardStep
  path: string
  format: string
  map: Partial<Record<MapField, string>>
  settings: WizardSettings
  preview: ImportPreview | null
  previewing: boolean
  pickAvailable: boolean | null
  job: JobProgress | null
  result: ImportResult | null
  error: string | null
  issues: ApiIssue[]
  show: () => void
  hide: () => void
  setPath: (path: string) => void
  setFormat: (format: string) => void
  setMap: (field: MapField, value: string) => void
  setSetting: (key: keyof WizardSettings, value: string) => void
  pick: (directory: boolean) => Promise<void>
  runPreview: () => Promise<void>
  back: () => void
  startImport: () => Promise<void>
}

/** The format a path most likely has: by extension; anything else is a pack folder. */
export function guessFormat(path: string): string {
  const p = path.trim().toLowerCase()
  if (p.endsWith('.csv')) return 'csv'
  if (p.endsWith('.tsv') || p.endsWith('.tab')) return 'tsv'
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return 'jsonl'
  return 'pack'
}

function requestOf(s: WizardState) {
  const settings: Record<string, string> = {}
  const add = (k: string, v: string) => {
    if (v.trim()) settings[k] = v.trim()
  }
  add('name', s.settings.name)
  add('subcategory', s.settings.subcategory)
  add('taskType', s.settings.taskType)
  add('access', s.settings.access)
  add('version', s.settings.version)
  add('catalog', s.settings.catalog)
  const map: Record<string, string> = {}
  for (const [k, v] of Object.entries(s.map)) if (v) map[k] = v
  const tabular = ['csv', 'tsv', 'jsonl'].includes(s.format)
  return {
    format: s.format,
    path: s.path.trim(),
    ...(s.settings.benchmarkId.trim() ? { benchmarkId: s.settings.benchmarkId.trim() } : {}),
    ...(tabular && Object.keys(map).length ? { map } : {}),
    ...(Object.keys(settings).length
      ? { settings: tabular ? settings : settings.version ? { version: settings.version } : {} }
      : {}),
  }
}

let jobCounter = 0

export const useImportWizard = create<WizardState>()((set, get) => ({
  open: false,
  step: 'source',
  path: '',
  format: 'csv',
  map: {},
  settings: EMPTY_SETTINGS,
  preview: null,
  previewing: false,
  pickAvailable: null,
  job: null,
  result: null,
  error: null,
  issues: [],
  show: () => {
    set({ open: true, step: 'source', preview: null, job: null, result: null, error: null, issues: [] })
    if (get().pickAvailable === null)
      api.invoke('benchmarks:pick-file', { directory: false, probe: true }).then(
        (r) => set({ pickAvailable: r.available }),
        () => set({ pickAvailable: false }),
      )
  },
  hide: () => set({ open: false }),
  // The format follows the path's extension unless the user chose a published dataset format.
  setPath: (path) =>
    set({
      path,
      format: ['pack', 'csv', 'tsv', 'jsonl'].includes(get().format) ? guessFormat(path) : get().format,
    }),
  setFormat: (format) => set({ format }),
  setMap: (field, value) => set({ map: { ...get().map, [field]: value } }),
  setSetting: (key, value) => set({ settings: { ...get().settings, [key]: value } }),
  pick: async (directory) => {
    try {
      const r = await api.invoke('benchmarks:pick-file', { directory })
      set({ pickAvailable: r.available })
      if (r.path) get().setPath(r.path)
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  runPreview: async () => {
    const s = get()
    if (!s.path.trim()) return set({ error: 'Enter the path of the file or pack folder to import.' })
    set({ previewing: true, error: null, issues: [] })
    try {
      const preview = await api.invoke('benchmarks:preview', requestOf(s))
      // Adopt the mapping WardEval guessed so the selects show it.
      const map = preview.kind === 'tabular' ? ({ ...preview.map } as WizardState['map']) : s.map
      set({ preview, map, step: 'review' })
    } catch (e) {
      set({ error: errorMessage(e), issues: e instanceof ApiError ? (e.issues ?? []) : [] })
    } finally {
      set({ previewing: false })
    }
  },
  back: () =>
    set({
      step: get().step === 'review' ? 'source' : 'review',
      error: null,
      issues: [],
      job: null,
      result: null,
    }),
  startImport: async () => {
    const jobId = `import-${Date.now()}-${++jobCounter}`
    set({ step: 'importing', job: null, result: null, error: null, issues: [] })
    const off = api.on('job:progress', (p) => {
      if (p.jobId === jobId) set({ job: p })
    })
    try {
      const result = await api.invoke('benchmarks:import', { ...requestOf(get()), jobId })
      set({ result, step: 'done' })
      await useBenchmarks.getState().load()
      useBenchmarks.getState().open(result.benchmarkId)
    } catch (e) {
      set({ step: 'failed', error: errorMessage(e), issues: e instanceof ApiError ? (e.issues ?? []) : [] })
    } finally {
      off()
    }
  },
}))
