import type { Page } from '@playwright/test'
import { setPrice } from '../../src/main/analysis/prices'
import type { ReviewSetSummary } from '../../src/shared/api/review'
import type { TempContext } from '../support/context'
import { buildWorld, JUDGE } from '../unit/analysis/world'
import { ratedSetOfTwoClinicians } from '../unit/review/league-helpers'

/** Arrangements several browser specs share. */

/** The leaderboard world (tests/unit/analysis/world.ts) with alpha and the judge priced. */
export async function pricedWorld(ctx: TempContext, server: Parameters<typeof buildWorld>[2]): Promise<void> {
  await buildWorld(ctx, ctx.dir, server)
  setPrice(ctx.db, { modelKey: 'ollama/alpha', inputPerMTok: 2, outputPerMTok: 10 })
  setPrice(ctx.db, { modelKey: JUDGE, inputPerMTok: 1, outputPerMTok: 2 })
}

/** A scored run of 14 outputs and a review set of them rated by two clinicians who follow the jury. */
export async function ratedReviewSet(ctx: TempContext, names: [string, string]): Promise<ReviewSetSummary> {
  return (await ratedSetOfTwoClinicians(ctx, names)).set
}

/** From the shell to the Agreement screen of the only review set, as `name` (confirming the switch). */
export async function openAgreementAs(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-review').click()
  await page.getByRole('list', { name: 'Existing reviewers' }).getByRole('button', { name }).click()
  await page
    .getByTestId('confirm-reviewer')
    .getByRole('button', { name: `Continue as ${name}` })
    .click()
  await page.getByTestId('review-sets').getByRole('button', { name: 'Agreement' }).click()
}
