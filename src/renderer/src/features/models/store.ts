import { create } from 'zustand'
import type {
  AddEndpointInput,
  AddressChange,
  EndpointWithStatus,
  ModelListing,
} from '../../../../shared/api/models'
import { api, errorMessage } from '../../lib/api'

interface ModelsState {
  endpoints: EndpointWithStatus[] | null
  listing: ModelListing | null
  loading: boolean
  refreshing: boolean
  error: string | null
  /** A short confirmation after an action ("Added lab"). */
  notice: string | null
  /** Endpoints and stored models, then a live check of every endpoint and its models. */
  load: () => Promise<void>
  refresh: () => Promise<void>
  add: (input: AddEndpointInput) => Promise<boolean>
  approve: (endpoint: EndpointWithStatus, reason: string) => Promise<boolean>
  /** Re-approves a moved name at the addresses the user was shown (refused if it moved again). */
  reapprove: (change: AddressChange) => Promise<void>
  remove: (name: string) => Promise<void>
  /** Revokes the approval covering an endpoint (the same path as the Privacy & Audit screen's). */
  revoke: (endpoint: EndpointWithStatus) => Promise<void>
  dismiss: () => void
}

export const useModels = create<ModelsState>()((set, get) => ({
  endpoints: null,
  listing: null,
  loading: false,
  refreshing: false,
  error: null,
  notice: null,
  load: async () => {
    set({ loading: true, error: null })
    try {
      const listing = await api.invoke('models:list', { refresh: false })
      set({ listing })
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ loading: false })
    }
    await get().refresh()
  },
  refresh: async () => {
    if (get().refreshing) return
    set({ refreshing: true })
    try {
      const [endpoints, listing] = await Promise.all([
        api.invoke('models:endpoints-status'),
        api.invoke('models:list', { refresh: true }),
      ])
      set({ endpoints, listing, error: null })
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ refreshing: false })
    }
  },
  add: async (input) => {
    try {
      const e = await api.invoke('models:endpoint-add', input)
      set({
        notice: `Added ${e.name} (${e.baseUrl})${!e.loopback && !e.approval ? ' — not approved: requests to it will be refused' : ''}.`,
        error: null,
      })
      await get().refresh()
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    }
  },
  approve: async (endpoint, reason) => {
    try {
      const a = await api.invoke('egress:approve', { host: endpoint.host, port: endpoint.port, reason })
      set({ notice: `Approved ${endpoint.host}:${endpoint.port} as ${a.approvedBy}.`, error: null })
      await get().refresh()
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    }
  },
  reapprove: async (change) => {
    try {
      const a = await api.invoke('egress:reapprove', { id: change.approvalId, addresses: change.resolved })
      set({
        notice: `Re-approved ${a.host} at ${(a.addresses ?? []).join(', ')} (approval ${a.id} replaces ${change.approvalId}).`,
        error: null,
      })
      await get().refresh()
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  revoke: async (endpoint) => {
    const a = endpoint.approval
    if (!a) return
    try {
      await api.invoke('egress:revoke', { id: a.id })
      set({
        notice: `Revoked the approval of ${a.host}${a.port === null ? '' : `:${a.port}`}: requests to it are refused from now on.`,
        error: null,
      })
      await get().refresh()
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  remove: async (name) => {
    try {
      await api.invoke('models:endpoint-remove', { name })
      set({ notice: `Removed ${name}.`, error: null })
      await get().refresh()
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  dismiss: () => set({ error: null, notice: null }),
}))
