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

// --- Import wizard ---------------------------------------------------------------------------

export type WizardStep = 'source' | 'review' | 'importing' | 'done' | 'failed'

/** The column mapping as the wizard's dropdowns hold it: lists of the file's own column names. */
export interface ColumnMapping {
  input: string[]
  reference: string[]
  id: string
  choices: string[]
  split: string
  /** Keep every other column as metadata, none, or the chosen ones. */
  metadataMode: 'all' | 'none' | 'chosen'
  metadata: string[]
}

export const EMPTY_MAPPING: ColumnMapping = {
  input: [],
  reference: [],
  id: '',
  choices: [],
  split: '',
  metadataMode: 'all',
  metadata: [],
}

export interface WizardSettings {
  name: string
  benchmarkId: string
  subcategory: string
  task: string
  taskType: string
  access: string
  version: string
  catalog: string
  instructions: string
  outputNoun: string
  maxTokens: string
}

const EMPTY_SETTINGS: WizardSettings = {
  name: '',
  benchmarkId: '',
  subcategory: '',
  task: '',
  taskType: '',
  access: 'private',
  version: '',
  catalog: '',
  instructions: '',
  outputNoun: '',
  maxTokens: '',
}

interface WizardState {
  open: boolean
  step: WizardStep
  path: string
  format: string
  mapping: ColumnMapping
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
  setMapping: (change: Partial<ColumnMapping>) => void
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

/** The mapping as the request sends it: column lists; what is not chosen is left to WardEval's guess. */
export function mapRequest(m: ColumnMapping): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  if (m.input.length) out.input = m.input
  if (m.reference.length) out.reference = m.reference
  if (m.id) out.id = [m.id]
  if (m.choices.length) out.choices = m.choices
  if (m.split) out.split = [m.split]
  if (m.metadataMode === 'none') out.metadata = '-'
  else if (m.metadataMode === 'chosen') out.metadata = m.metadata.length ? m.metadata : '-'
  return out
}

/** The mapping the preview resolved (the user's choices plus WardEval's guesses), for the dropdowns. */
function adoptResolved(current: ColumnMapping, preview: ImportPreview): ColumnMapping {
  const r = preview.resolved
  if (!r) return current
  return {
    ...current,
    input: r.input,
    reference: r.reference,
    id: r.id ?? '',
    choices: r.choices,
    split: r.split ?? '',
    metadata: current.metadataMode === 'chosen' ? current.metadata : r.metadata,
  }
}

const TABULAR = ['csv', 'tsv', 'jsonl']

function requestOf(s: WizardState) {
  const settings: Record<string, string> = {}
  for (const [k, v] of Object.entries(s.settings)) if (k !== 'benchmarkId' && v.trim()) settings[k] = v.trim()
  const tabular = TABULAR.includes(s.format)
  const map = mapRequest(s.mapping)
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

/** Everything one import chose: a new import starts from this, never from the last one's choices. */
const FRESH = {
  step: 'source' as WizardStep,
  path: '',
  format: 'csv',
  mapping: EMPTY_MAPPING,
  settings: EMPTY_SETTINGS,
  preview: null,
  previewing: false,
  job: null,
  result: null,
  error: null,
  issues: [],
}

export const useImportWizard = create<WizardState>()((set, get) => ({
  open: false,
  ...FRESH,
  pickAvailable: null,
  show: () => {
    set({ open: true, ...FRESH })
    if (get().pickAvailable === null)
      api.invoke('benchmarks:pick-file', { directory: false, probe: true }).then(
        (r) => set({ pickAvailable: r.available }),
        () => set({ pickAvailable: false }),
      )
  },
  hide: () => set({ open: false }),
  // The format follows the path's extension unless the user chose a published dataset format.
  // Another file is another import: its columns are not the last file's.
  setPath: (path) =>
    set({
      path,
      mapping: EMPTY_MAPPING,
      format: ['pack', ...TABULAR].includes(get().format) ? guessFormat(path) : get().format,
    }),
  setFormat: (format) => set({ format }),
  setMapping: (change) => set({ mapping: { ...get().mapping, ...change } }),
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
      set({ preview, mapping: adoptResolved(get().mapping, preview), step: 'review' })
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
      set({
        step: 'failed',
        job: null,
        error: errorMessage(e),
        issues: e instanceof ApiError ? (e.issues ?? []) : [],
      })
    } finally {
      off()
    }
  },
}))
