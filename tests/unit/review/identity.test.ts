import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reviewer, ReviewerIdentity } from '../../../src/shared/api/review'
import {
  chooseReviewer,
  currentOsUser,
  identityWarnings,
  lastReviewer,
} from '../../../src/main/review/identity'
import { rateItem } from '../../../src/main/review/rating'
import { reviewAgreement } from '../../../src/main/review/report'
import { openReviewer } from '../../../src/main/review/reviewers'
import { createReviewSet } from '../../../src/main/review/sets'
import type { Router } from '../../../src/main/ipc/router'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { callThrough, routerFor } from '../../support/router'
import { agreementText } from '../../../src/main/cli/commands/review'
import { BENCHMARK, scoredRun, startFake } from './helpers'

/** Reviewer identity: the last reviewer on this machine, the OS user on every rating, and the warning. */

let ctx: TempContext
let fake: FakeOllama
let router: Router
let setId: number

const all = (s: number) => ({ accuracy: s, completeness: s, clarity: s })

beforeAll(async () => {
  fake = await startFake()
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  const runId = await scoredRun(ctx, ctx.dir, 6)
  setId = createReviewSet(ctx.db, { runId, benchmarkId: BENCHMARK, size: 6, seed: 1, showGold: false })
  router = routerFor(ctx)
}, 60_000)
afterAll(async () => {
  ctx.dispose()
  await fake.close()
})

describe('reviewer identity', () => {
  it('asks for confirmation to choose another reviewer than the one last chosen on this machine', async () => {
    const call = <T>(channel: string, input?: unknown) => callThrough<T>(router, channel, input)
    const id0 = await call<ReviewerIdentity>('review:identity')
    expect(id0).toEqual({ lastReviewer: null, osUser: currentOsUser() })
    // The first choice on this machine needs no confirmation; the same reviewer again neither (any case).
    const a = await call<Reviewer>('review:reviewer-open', { name: 'Dr A' })
    await call<Reviewer>('review:reviewer-open', { name: 'dr a' })
    expect((await call<ReviewerIdentity>('review:identity')).lastReviewer?.id).toBe(a.id)
    // Another one is refused until confirmed, and nothing changes meanwhile.
    await expect(call('review:reviewer-open', { name: 'Dr B' })).rejects.toThrow(
      /last chosen on this machine is Dr A; confirm that ratings are now entered as Dr B/,
    )
    expect(ctx.db.prepare("SELECT COUNT(*) FROM reviewers WHERE name = 'Dr B'").pluck().get()).toBe(0)
    expect(lastReviewer(ctx.db)?.name).toBe('Dr A')
    const b = await call<Reviewer>('review:reviewer-open', { name: 'Dr B', confirmSwitch: true })
    expect(lastReviewer(ctx.db)?.id).toBe(b.id)
    expect(() => chooseReviewer(ctx.db, 'Dr A')).toThrow(/last chosen on this machine is Dr B/)
  })

  it('records the OS user of every rating and warns when one OS user rated for several reviewers', () => {
    const a = openReviewer(ctx.db, 'Dr A').id
    const b = openReviewer(ctx.db, 'Dr B').id
    const c = openReviewer(ctx.db, 'Dr C').id
    rateItem(ctx.db, { setId, reviewerId: a, position: 0, scores: all(3), comment: '' }, 'nurse1')
    rateItem(ctx.db, { setId, reviewerId: b, position: 0, scores: all(4), comment: '' }, 'drb')
    expect(identityWarnings(ctx.db, setId)).toEqual([])
    expect(
      ctx.db.prepare('SELECT DISTINCT os_user, source FROM ratings WHERE reviewer_id = ?').all(a),
    ).toEqual([{ os_user: 'nurse1', source: 'app' }])
    // nurse1 now also rates as Dr C, on two items.
    rateItem(ctx.db, { setId, reviewerId: c, position: 0, scores: all(2), comment: '' }, 'nurse1')
    rateItem(ctx.db, { setId, reviewerId: c, position: 1, scores: all(2), comment: '' }, 'nurse1')
    const warnings = reviewAgreement(ctx.db, setId).identityWarnings
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({
      osUser: 'nurse1',
      reviewers: [
        { reviewer: 'Dr A', items: 1 },
        { reviewer: 'Dr C', items: 2 },
      ],
    })
    expect(warnings[0]!.message).toMatch(/OS user "nurse1" entered ratings for 2 reviewers .*not independent/)
    expect(agreementText(reviewAgreement(ctx.db, setId))).toMatch(
      /Warning: OS user "nurse1" entered ratings for 2 reviewers/,
    )
    // A CSV import (one coordinator entering everyone's ratings) is not counted.
    ctx.db.prepare("UPDATE ratings SET source = 'csv' WHERE reviewer_id = ?").run(c)
    expect(identityWarnings(ctx.db, setId)).toEqual([])
  })
})
