import { create } from 'zustand'
import type {
  AuditRequest,
  AuditRequestGroup,
  RequestPage,
  RequestStatus,
} from '../../../../shared/api/audit-requests'
import { api, errorMessage } from '../../lib/api'

export interface RequestChips {
  purposeKind: string
  status: '' | RequestStatus
  /** host, or '' for every destination */
  host: string
  groupChecks: boolean
}

/** Rows (requests and groups) loaded at a time; "Load more" fetches the next page. */
export const REQUEST_PAGE = 2_000

export const EMPTY_CHIPS: RequestChips = { purposeKind: '', status: '', host: '', groupChecks: true }

export const groupKey = (g: AuditRequestGroup) => `${g.purposeKind}|${g.host}|${g.status}|${g.fromSeq}`

interface RequestsState {
  page: RequestPage | null
  chips: RequestChips
  /** Expanded groups: their member requests. */
  expanded: Record<string, AuditRequest[]>
  error: string | null
  load: (more?: boolean) => Promise<void>
  setChips: (c: Partial<RequestChips>) => void
  toggleGroup: (g: AuditRequestGroup) => Promise<void>
}

export const useRequests = create<RequestsState>()((set, get) => ({
  page: null,
  chips: EMPTY_CHIPS,
  expanded: {},
  error: null,
  load: async (more = false) => {
    const c = get().chips
    const prev = more ? get().page : null
    try {
      const page = await api.invoke('audit:requests', {
        ...(c.purposeKind ? { purposeKind: c.purposeKind } : {}),
        ...(c.status ? { status: c.status } : {}),
        ...(c.host ? { host: c.host } : {}),
        groupChecks: c.groupChecks,
        offset: prev ? prev.items.length : 0,
        limit: REQUEST_PAGE,
      })
      set({ page: prev ? { ...page, items: [...prev.items, ...page.items], offset: 0 } : page, error: null })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  setChips: (c) => {
    set({ chips: { ...get().chips, ...c }, expanded: {} })
    void get().load()
  },
  toggleGroup: async (g) => {
    const key = groupKey(g)
    const { [key]: open, ...rest } = get().expanded
    if (open) return set({ expanded: rest })
    try {
      const page = await api.invoke('audit:requests', {
        fromSeq: g.fromSeq,
        toSeq: g.toSeq,
        purposeKind: g.purposeKind,
        host: g.host,
        status: g.status,
        groupChecks: false,
        limit: 100_000,
      })
      const members = page.items.filter((i): i is AuditRequest => i.type === 'request' && i.port === g.port)
      set({ expanded: { ...get().expanded, [key]: members } })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
}))
