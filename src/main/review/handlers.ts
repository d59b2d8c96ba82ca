import type { reviewContract } from '../../shared/api/review'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../ipc/router'
import { blindItem, rateItem, reviewSession } from './rating'
import { allReviewSetIds, scorerLeague } from './league'
import { reviewAgreement, unblindedItems } from './report'
import { listReviewers, openReviewer } from './reviewers'
import { createReviewSet, listReviewSets, reviewCandidates, reviewSetSummary } from './sets'

export function reviewHandlers(ctx: AppContext): HandlersFor<keyof typeof reviewContract> {
  return {
    'review:reviewers': () => listReviewers(ctx.db),
    'review:reviewer-open': ({ name }) => openReviewer(ctx.db, name),
    'review:sets': () => listReviewSets(ctx.db),
    'review:candidates': () => reviewCandidates(ctx.db),
    'review:create-set': (input) => reviewSetSummary(ctx.db, createReviewSet(ctx.db, input)),
    'review:session': ({ setId, reviewerId }) => reviewSession(ctx.db, setId, reviewerId),
    'review:item': ({ setId, reviewerId, position }) => blindItem(ctx.db, setId, reviewerId, position),
    'review:rate': (input) => rateItem(ctx.db, input),
    'review:agreement': ({ setId }) => reviewAgreement(ctx.db, setId),
    'review:league': ({ setIds }) => scorerLeague(ctx.db, setIds ?? allReviewSetIds(ctx.db)),
    'review:unblinded': ({ setId, reviewerId }) => unblindedItems(ctx.db, setId, reviewerId),
  }
}
