import { create } from 'zustand'
import type { AnchoredVerifyResult } from '../../../../shared/api/audit'
import type { AuditPage, AuditSummary, EgressPolicy } from '../../../../shared/api/models'
import { api, errorMessage } from '../../lib/api'
import { chooseSaveFile } from '../../lib/save-file'

export interface AuditFilters {
  kind: '' | 'request' | 'refusal' | 'approval' | 'policy'
  purposeKind: string
  host: string
  outcome: string
  /** '' (all time) or an age: 1h, 24h, 7d, 30d. */
  since: string
}

/** Newest rows loaded into the table; the count says when there are more (export has them all). */
const LOG_LIMIT = 5_000

export const EMPTY_FILTERS: AuditFilters = { kind: '', purposeKind: '', host: '', outcome: '', since: '' }

interface AuditState {
  summary: AuditSummary | null
  page: AuditPage | null
  policy: EgressPolicy | null
  filters: AuditFilters
  verify: AnchoredVerifyResult | null
  verifying: boolean
  exported: { file: string; rows: number } | null
  exporting: boolean
  loading: boolean
  error: string | null
  load: () => Promise<void>
  loadLog: () => Promise<void>
  setFilters: (f: Partial<AuditFilters>) => void
  clearFilters: () => void
  runVerify: () => Promise<void>
  exportCsv: () => Promise<void>
  approve: (host: string, port: number | null, reason: string) => Promise<boolean>
  revoke: (id: number) => Promise<void>
  dismiss: () => void
}

export const useAudit = create<AuditState>()((set, get) => ({
  summary: null,
  page: null,
  policy: null,
  filters: EMPTY_FILTERS,
  verify: null,
  verifying: false,
  exported: null,
  exporting: false,
  loading: false,
  error: null,
  load: async () => {
    set({ loading: true })
    try {
      const [summary, policy] = await Promise.all([api.invoke('audit:summary'), api.invoke('egress:policy')])
      set({ summary, policy, error: null })
      await get().loadLog()
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ loading: false })
    }
  },
  loadLog: async () => {
    const f = get().filters
    try {
      const page = await api.invoke('audit:list', {
        ...(f.kind ? { kind: f.kind } : {}),
        ...(f.purposeKind ? { purposeKind: f.purposeKind } : {}),
        ...(f.host ? { host: f.host } : {}),
        ...(f.outcome ? { outcome: f.outcome } : {}),
        ...(f.since ? { since: f.since } : {}),
        limit: LOG_LIMIT,
      })
      set({ page })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  setFilters: (f) => {
    set({ filters: { ...get().filters, ...f } })
    void get().loadLog()
  },
  clearFilters: () => {
    set({ filters: EMPTY_FILTERS })
    void get().loadLog()
  },
  runVerify: async () => {
    set({ verifying: true })
    try {
      set({ verify: await api.invoke('audit:verify-anchored'), error: null })
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ verifying: false })
    }
  },
  exportCsv: async () => {
    set({ exporting: true })
    try {
      const target = await chooseSaveFile('audit-log.csv', 'csv')
      if (target) set({ exported: await api.invoke('audit:export', target), error: null })
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ exporting: false })
    }
  },
  approve: async (host, port, reason) => {
    try {
      await api.invoke('egress:approve', { host, port, reason })
      await get().load()
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    }
  },
  revoke: async (id) => {
    try {
      await api.invoke('egress:revoke', { id })
      await get().load()
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  dismiss: () => set({ error: null }),
}))
