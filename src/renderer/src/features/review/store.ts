import { create } from 'zustand'
import type {
  BlindItem,
  CreateReviewSetInput,
  Reviewer,
  ReviewAgreement,
  ReviewCandidate,
  ReviewSession,
  RateResult,
  ReviewerIdentity,
  ReviewSetSummary,
  ScorerLeague,
  UnblindedItem,
} from '../../../../shared/api/review'
import type { OpenedPacket } from '../../../../shared/api/review-packets'
import { api, errorMessage } from '../../lib/api'

/**
 * Clinician review: who is reviewing, the review sets, the blind rating of one set (the item on
 * screen and the reviewer's draft scores), and once rated, the agreement and the unblinded items.
 */

export type ReviewView = 'sets' | 'rating' | 'agreement' | 'unblinded'

export interface Draft {
  scores: Record<string, number>
  comment: string
}

interface ReviewState {
  reviewers: Reviewer[]
  reviewer: Reviewer | null
  sets: ReviewSetSummary[]
  candidates: ReviewCandidate[]
  loaded: boolean
  view: ReviewView
  /** The reviewer last chosen on this machine and the OS user. */
  identity: ReviewerIdentity | null
  /** A reviewer name waiting for the user to confirm the switch from the last one. */
  pendingSwitch: string | null
  /** Packets opened on this machine. */
  packets: OpenedPacket[]
  /** The packet being rated (then `setId` is its set at the coordinator), or null for a local set. */
  packetId: number | null
  setId: number | null
  session: ReviewSession | null
  /** The item on screen; null past the last item (the end of the set). */
  item: BlindItem | null
  /** Where the reviewer is: 0…total (total = past the last item). */
  position: number
  draft: Draft
  /** The criterion the 1–5 keys score (index into the item's criteria). */
  active: number
  saving: boolean
  agreement: ReviewAgreement | null
  /** The scorer league pooled across every review set, once asked for. */
  pooled: ScorerLeague | null
  unblinded: UnblindedItem[] | null
  error: string | null
  notice: string | null

  load: () => Promise<void>
  chooseReviewer: (name: string, confirmed?: boolean) => Promise<boolean>
  cancelSwitch: () => void
  openPacket: (packetId: number) => Promise<void>
  setPackets: (packets: OpenedPacket[]) => void
  say: (notice: string | null, error?: string | null) => void
  signOut: () => void
  createSet: (input: CreateReviewSetInput) => Promise<boolean>
  openSet: (setId: number) => Promise<void>
  goTo: (position: number) => Promise<void>
  setScore: (criterion: string, score: number) => void
  setComment: (comment: string) => void
  setActive: (index: number) => void
  save: () => Promise<void>
  showAgreement: (setId: number) => Promise<void>
  showPooled: () => Promise<void>
  showUnblinded: (setId: number) => Promise<void>
  back: () => void
  dismiss: () => void
}

const EMPTY: Draft = { scores: {}, comment: '' }

export const useReview = create<ReviewState>()((set, get) => ({
  reviewers: [],
  reviewer: null,
  sets: [],
  candidates: [],
  loaded: false,
  view: 'sets',
  identity: null,
  pendingSwitch: null,
  packets: [],
  packetId: null,
  setId: null,
  session: null,
  item: null,
  position: 0,
  draft: EMPTY,
  active: 0,
  saving: false,
  agreement: null,
  pooled: null,
  unblinded: null,
  error: null,
  notice: null,

  load: async () => {
    try {
      const [reviewers, sets, candidates, identity, packets] = await Promise.all([
        api.invoke('review:reviewers'),
        api.invoke('review:sets'),
        api.invoke('review:candidates'),
        api.invoke('review:identity'),
        api.invoke('review:packets'),
      ])
      set({ reviewers, sets, candidates, identity, packets, loaded: true })
    } catch (e) {
      set({ error: errorMessage(e), loaded: true })
    }
  },
  chooseReviewer: async (name, confirmed = false) => {
    const last = get().identity?.lastReviewer
    if (!confirmed && last && last.name.toLowerCase() !== name.trim().toLowerCase()) {
      set({ pendingSwitch: name.trim() })
      return false
    }
    try {
      const reviewer = await api.invoke('review:reviewer-open', { name, confirmSwitch: confirmed })
      set({ reviewer, error: null, view: 'sets', pendingSwitch: null })
      await get().load()
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    }
  },
  cancelSwitch: () => set({ pendingSwitch: null }),
  signOut: () => set({ reviewer: null, view: 'sets', setId: null, session: null, item: null }),
  setPackets: (packets) => set({ packets }),
  say: (notice, error = null) => set({ notice, error }),
  openPacket: async (packetId) => {
    try {
      const session = await api.invoke('review:packet-session', { packetId })
      set({ packetId, setId: session.setId, session, view: 'rating', error: null, notice: null })
      await get().goTo(session.position)
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  createSet: async (input) => {
    try {
      const created = await api.invoke('review:create-set', input)
      set({
        error: null,
        notice: `Review set ${created.id} created: ${created.size} outputs of ${created.benchmarkName} across ${created.models} models.`,
      })
      await get().load()
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    }
  },
  openSet: async (setId) => {
    const reviewer = get().reviewer
    if (!reviewer) return
    try {
      const session = await api.invoke('review:session', { setId, reviewerId: reviewer.id })
      set({ packetId: null, setId, session, view: 'rating', error: null, notice: null })
      await get().goTo(session.position)
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  goTo: async (position) => {
    const { setId, session } = get()
    if (setId === null || !session) return
    set({ notice: null })
    if (!(await autosave(get, set))) return
    const target = Math.max(0, Math.min(position, session.total))
    try {
      if (target === session.total) {
        // Past the last item: refresh the counts for the end-of-set summary.
        set({ session: await fetchSession(get()), item: null, position: target, draft: EMPTY })
        return
      }
      const item = await fetchItem(get(), target)
      const firstUnscored = item.criteria.findIndex((c) => item.myRating?.scores[c.id] === undefined)
      set({
        item,
        active: firstUnscored === -1 ? 0 : firstUnscored,
        position: target,
        draft: item.myRating
          ? { scores: { ...item.myRating.scores }, comment: item.myRating.comment }
          : EMPTY,
        session: { ...session, rated: item.rated },
        error: null,
      })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  setScore: (criterion, score) =>
    set((s) => ({ draft: { ...s.draft, scores: { ...s.draft.scores, [criterion]: score } } })),
  setComment: (comment) => set((s) => ({ draft: { ...s.draft, comment } })),
  setActive: (index) =>
    set((s) => ({ active: Math.max(0, Math.min(index, (s.item?.criteria.length ?? 1) - 1)) })),
  save: async () => {
    const { item, draft, session } = get()
    if (!item || !session || get().saving) return
    const missing = item.criteria.filter((c) => draft.scores[c.id] === undefined)
    if (missing.length > 0) {
      set({ error: `Score ${missing.map((c) => c.name).join(', ')} (1–5) before saving, or skip this item.` })
      return
    }
    const r = await persist(get, set)
    if (r) await get().goTo(r.position)
  },
  showAgreement: async (setId) => {
    try {
      const agreement = await api.invoke('review:agreement', { setId })
      set({ agreement, pooled: null, setId, view: 'agreement', error: null, notice: null })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  showPooled: async () => {
    try {
      const pooled = await api.invoke('review:league', {})
      set({ pooled, error: null })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  showUnblinded: async (setId) => {
    const reviewer = get().reviewer
    if (!reviewer) return
    try {
      const unblinded = await api.invoke('review:unblinded', { setId, reviewerId: reviewer.id })
      set({ unblinded, setId, view: 'unblinded', error: null, notice: null })
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  back: () => {
    void autosave(get, set).then(() => {
      set({ view: 'sets', item: null, agreement: null, unblinded: null, packetId: null })
      void get().load()
    })
  },
  dismiss: () => set({ error: null, notice: null }),
}))

type Get = () => ReviewState
type Set = (partial: Partial<ReviewState>) => void

function fetchSession(s: ReviewState): Promise<ReviewSession> {
  if (s.packetId !== null) return api.invoke('review:packet-session', { packetId: s.packetId })
  return api.invoke('review:session', { setId: s.setId as number, reviewerId: s.reviewer?.id as number })
}

function fetchItem(s: ReviewState, position: number): Promise<BlindItem> {
  if (s.packetId !== null) return api.invoke('review:packet-item', { packetId: s.packetId, position })
  return api.invoke('review:item', {
    setId: s.setId as number,
    reviewerId: s.reviewer?.id as number,
    position,
  })
}

/** Saves the draft of the item on screen (a local set or a packet); null when it failed. */
async function persist(get: Get, set: Set): Promise<RateResult | null> {
  const { reviewer, setId, packetId, item, draft, session } = get()
  if (!item || !session || setId === null) return null
  set({ saving: true })
  try {
    const scores = draft.scores
    const r =
      packetId !== null
        ? await api.invoke('review:packet-rate', {
            packetId,
            position: item.position,
            scores,
            comment: draft.comment,
          })
        : await api.invoke('review:rate', {
            setId,
            reviewerId: reviewer?.id as number,
            position: item.position,
            scores,
            comment: draft.comment,
          })
    set({
      session: { ...session, rated: r.rated, firstUnrated: r.firstUnrated },
      // The item now holds these scores: leaving it does not save them again.
      item: { ...item, myRating: { scores: { ...scores }, comment: draft.comment } },
      error: null,
    })
    return r
  } catch (e) {
    set({ error: errorMessage(e) })
    return null
  } finally {
    set({ saving: false })
  }
}

/**
 * Autosave: leaving an output whose every criterion is scored keeps the scores and comment, as if
 * saved. An incomplete draft is left unsaved (no score is assumed). False when saving failed.
 */
async function autosave(get: Get, set: Set): Promise<boolean> {
  const { item, draft, saving } = get()
  if (!item || saving) return true
  const complete = item.criteria.every((c) => draft.scores[c.id] !== undefined)
  const mine = item.myRating
  const changed =
    !mine ||
    mine.comment !== draft.comment ||
    item.criteria.some((c) => mine.scores[c.id] !== draft.scores[c.id])
  if (!complete || !changed) return true
  const r = await persist(get, set)
  if (r) set({ notice: 'Saved automatically.' })
  return r !== null
}
