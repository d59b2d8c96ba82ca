import { create } from 'zustand'
import type {
  BlindItem,
  CreateReviewSetInput,
  Reviewer,
  ReviewAgreement,
  ReviewCandidate,
  ReviewSession,
  ReviewSetSummary,
  ScorerLeague,
  UnblindedItem,
} from '../../../../shared/api/review'
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
  chooseReviewer: (name: string) => Promise<boolean>
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
      const [reviewers, sets, candidates] = await Promise.all([
        api.invoke('review:reviewers'),
        api.invoke('review:sets'),
        api.invoke('review:candidates'),
      ])
      set({ reviewers, sets, candidates, loaded: true })
    } catch (e) {
      set({ error: errorMessage(e), loaded: true })
    }
  },
  chooseReviewer: async (name) => {
    try {
      const reviewer = await api.invoke('review:reviewer-open', { name })
      set({ reviewer, error: null, view: 'sets' })
      await get().load()
      return true
    } catch (e) {
      set({ error: errorMessage(e) })
      return false
    }
  },
  signOut: () => set({ reviewer: null, view: 'sets', setId: null, session: null, item: null }),
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
      set({ setId, session, view: 'rating', error: null, notice: null })
      await get().goTo(session.position)
    } catch (e) {
      set({ error: errorMessage(e) })
    }
  },
  goTo: async (position) => {
    const { reviewer, setId, session } = get()
    if (!reviewer || setId === null || !session) return
    const target = Math.max(0, Math.min(position, session.total))
    if (target === session.total) {
      try {
        // Past the last item: refresh the counts for the end-of-set summary.
        const s = await api.invoke('review:session', { setId, reviewerId: reviewer.id })
        set({ session: s, item: null, position: target, draft: EMPTY })
      } catch (e) {
        set({ error: errorMessage(e) })
      }
      return
    }
    try {
      const item = await api.invoke('review:item', { setId, reviewerId: reviewer.id, position: target })
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
    const { reviewer, setId, item, draft, session } = get()
    if (!reviewer || setId === null || !item || !session || get().saving) return
    const missing = item.criteria.filter((c) => draft.scores[c.id] === undefined)
    if (missing.length > 0) {
      set({ error: `Score ${missing.map((c) => c.name).join(', ')} (1–5) before saving, or skip this item.` })
      return
    }
    set({ saving: true })
    try {
      const r = await api.invoke('review:rate', {
        setId,
        reviewerId: reviewer.id,
        position: item.position,
        scores: draft.scores,
        comment: draft.comment,
      })
      set({ session: { ...session, rated: r.rated, firstUnrated: r.firstUnrated }, error: null })
      await get().goTo(r.position)
    } catch (e) {
      set({ error: errorMessage(e) })
    } finally {
      set({ saving: false })
    }
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
    set({ view: 'sets', item: null, agreement: null, unblinded: null })
    void get().load()
  },
  dismiss: () => set({ error: null, notice: null }),
}))
