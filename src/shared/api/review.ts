import { z } from 'zod'

// Channels of blind clinician review and jury–clinician agreement. Combined in ./contract.ts.
// A review set is a seeded sample of one run's outputs on one open-ended benchmark, stratified
// across the run's models; every reviewer rates the same set, one output at a time, blind to the
// model, the jury and the other reviewers. Agreement follows MedHELM (ICC(3,k) on z-scored
// ratings, jury vs clinicians, with a clinician–clinician baseline); see src/main/review/.

/** Lowest and highest clinician score (the jury's scale). */
export const RATING_MIN = 1
export const RATING_MAX = 5
/** Fewest items an agreement figure is computed on; below it the figure is "not computable". */
export const MIN_AGREEMENT_ITEMS = 10
/** Largest review set. */
export const MAX_REVIEW_SET_SIZE = 5000
export const MAX_COMMENT_LENGTH = 4000

const Id = z.number().int().positive()

export const ReviewerName = z
  .string()
  .trim()
  .min(1, 'type a reviewer name')
  .max(100, 'a reviewer name has at most 100 characters')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'a reviewer name cannot contain control characters')

export const Reviewer = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.string(),
  createdAt: z.string(),
})
export type Reviewer = z.infer<typeof Reviewer>

export const ReviewCriterion = z.object({ id: z.string(), name: z.string(), description: z.string() })
export type ReviewCriterion = z.infer<typeof ReviewCriterion>

export const ReviewerProgress = z.object({
  reviewerId: z.number().int(),
  reviewer: z.string(),
  /** Items of the set this reviewer has rated on every criterion. */
  rated: z.number().int().nonnegative(),
})

export const ReviewSetSummary = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  runName: z.string(),
  benchmarkId: z.string(),
  benchmarkName: z.string(),
  benchmarkVersion: z.string(),
  /** Items (model outputs) in the set. */
  size: z.number().int().nonnegative(),
  seed: z.number().int(),
  /** Models the set is stratified across, with their item counts (not shown to reviewers while rating). */
  models: z.number().int().nonnegative(),
  criteria: z.array(ReviewCriterion),
  /** Reviewers see the gold (reference) answer next to each output. */
  showGold: z.boolean(),
  createdAt: z.string(),
  progress: z.array(ReviewerProgress),
})
export type ReviewSetSummary = z.infer<typeof ReviewSetSummary>

/** What a review set can be made from: runs and their open-ended benchmarks with jury criteria. */
export const ReviewCandidate = z.object({
  runId: z.number().int(),
  runName: z.string(),
  runStatus: z.string(),
  benchmarks: z.array(
    z.object({
      benchmarkId: z.string(),
      benchmarkName: z.string(),
      models: z.number().int().nonnegative(),
      /** Completed run items with a non-empty response: the most a set can hold. */
      eligibleItems: z.number().int().nonnegative(),
    }),
  ),
})
export type ReviewCandidate = z.infer<typeof ReviewCandidate>

export const CreateReviewSetInput = z
  .object({
    runId: Id,
    benchmarkId: z.string().trim().min(1).max(100),
    size: z.number().int().min(1).max(MAX_REVIEW_SET_SIZE),
    /** Sampling seed; the same run, benchmark, size and seed always give the same set. */
    seed: z.number().int().min(0).max(2_147_483_647).default(0),
    /** Whether reviewers see the gold (reference) answer next to the output. */
    showGold: z.boolean().default(false),
  })
  .strict()
export type CreateReviewSetInput = z.input<typeof CreateReviewSetInput>
export type CreateReviewSetParsed = z.output<typeof CreateReviewSetInput>

const SetReviewer = z.object({ setId: Id, reviewerId: Id }).strict()

/** Where a reviewer is in a set: resume at `position`. */
export const ReviewSession = z.object({
  setId: z.number().int(),
  reviewerId: z.number().int(),
  total: z.number().int().nonnegative(),
  rated: z.number().int().nonnegative(),
  /** Where the reviewer stopped, 0…total (total: past the last item). */
  position: z.number().int().nonnegative(),
  /** The first item in the reviewer's order not yet rated, or null when every item is. */
  firstUnrated: z.number().int().nonnegative().nullable(),
  criteria: z.array(ReviewCriterion),
})
export type ReviewSession = z.infer<typeof ReviewSession>

/**
 * One item as a reviewer sees it while rating: the instance input and one model output, and the
 * reviewer's own earlier rating. Strict on purpose: nothing else — not the model, the run item,
 * the jury's scores or other reviewers' ratings — may cross to the rating screen.
 */
export const BlindItem = z.strictObject({
  setId: z.number().int(),
  /** Position in this reviewer's own order (0-based). */
  position: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  rated: z.number().int().nonnegative(),
  input: z.string(),
  output: z.string(),
  /** The gold (reference) answer, where the set shows it; otherwise null. */
  gold: z.string().nullable(),
  criteria: z.array(z.strictObject({ id: z.string(), name: z.string(), description: z.string() })),
  /** This reviewer's rating of this item, or null. */
  myRating: z
    .strictObject({
      scores: z.record(z.string(), z.number().int()),
      comment: z.string(),
    })
    .nullable(),
})
export type BlindItem = z.infer<typeof BlindItem>

export const RateInput = z
  .object({
    setId: Id,
    reviewerId: Id,
    position: z.number().int().nonnegative(),
    /** A score for every criterion of the set, 1–5. */
    scores: z.record(
      z.string(),
      z
        .number()
        .int()
        .min(RATING_MIN)
        .max(RATING_MAX, `a score lies between ${RATING_MIN} and ${RATING_MAX}`),
    ),
    comment: z.string().max(MAX_COMMENT_LENGTH).default(''),
  })
  .strict()
export type RateInput = z.input<typeof RateInput>
export type RateParsed = z.output<typeof RateInput>

export const RateResult = z.object({
  position: z.number().int().nonnegative(),
  rated: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  firstUnrated: z.number().int().nonnegative().nullable(),
})
export type RateResult = z.infer<typeof RateResult>

export const IccValue = z.object({
  value: z.number(),
  /** 95 % confidence interval from the F distribution; null when it is undefined (no residual variance). */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  /** Koo & Li (2016) label judged on the whole interval: "poor", "moderate to good"… */
  label: z.string(),
})
export type IccValue = z.infer<typeof IccValue>

/** One agreement figure: jury vs clinicians, or clinicians among themselves, on one criterion or overall. */
export const AgreementFigure = z.object({
  /** A criterion id, or 'overall' (the mean of the criteria). */
  scope: z.string(),
  /** Items the figure rests on. */
  items: z.number().int().nonnegative(),
  /** Raters in the ICC (2 for jury vs clinicians: the jury's mean and the clinicians' mean). */
  raters: z.number().int().nonnegative(),
  /** Reviewers whose ratings it uses. */
  reviewers: z.array(z.string()),
  status: z.enum(['ok', 'not_computable']),
  /** Why it is not computable (too few items, no spread…); null when ok. */
  reason: z.string().nullable(),
  /** ICC(3,1) on z-scored ratings: agreement of a single rater. */
  icc3: IccValue.nullable(),
  /** ICC(3,k) on z-scored ratings: MedHELM's figure, reliability of the mean of the k raters. */
  icc3k: IccValue.nullable(),
})
export type AgreementFigure = z.infer<typeof AgreementFigure>

/** One operating-system user who entered ratings for several reviewers (their ratings may not be independent). */
export const IdentityWarning = z.object({
  osUser: z.string(),
  reviewers: z.array(z.object({ reviewer: z.string(), items: z.number().int().nonnegative() })),
  message: z.string(),
})
export type IdentityWarning = z.infer<typeof IdentityWarning>

/** Who is at this machine: the reviewer last chosen here and the operating-system user. */
export const ReviewerIdentity = z.object({ lastReviewer: Reviewer.nullable(), osUser: z.string() })
export type ReviewerIdentity = z.infer<typeof ReviewerIdentity>
/** An ICC with its F test and its Koo & Li (2016) label, judged on the whole 95 % interval. */
export const IccDetail = z.object({
  value: z.number(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  f: z.number().nullable(),
  df1: z.number(),
  df2: z.number(),
  p: z.number().nullable(),
  /** "poor", "moderate", "good", "excellent", or a range such as "moderate to good". */
  label: z.string(),
})
export type IccDetail = z.infer<typeof IccDetail>

export const ScorerKind = z.enum(['jury', 'judge', 'metric'])
export type ScorerKind = z.infer<typeof ScorerKind>

/**
 * One automatic scorer against the clinicians by MedHELM's method: per item the clinicians' mean
 * composite (mean of the criteria) against the scorer's, each z-scored, ICC(3,k); Spearman's ρ with a
 * Fisher-z interval; quadratic-weighted κ on rounded 1–5 scores with a seeded bootstrap interval.
 */
export const ScorerAgreement = z.object({
  /** Stable key: 'jury', 'judge:<judge key>', or a metric name ('rouge_l', 'bleu', 'bertscore'). */
  scorer: z.string(),
  /** What a person reads: "LLM jury (3 judges)", "Judge llama3.1:8b", "ROUGE-L"… */
  name: z.string(),
  kind: ScorerKind,
  items: z.number().int().nonnegative(),
  status: z.enum(['ok', 'not_computable']),
  reason: z.string().nullable(),
  icc3k: IccDetail.nullable(),
  spearman: z.object({ rho: z.number(), ci95: z.tuple([z.number(), z.number()]).nullable() }).nullable(),
  kappa: z.object({ value: z.number(), ci95: z.tuple([z.number(), z.number()]).nullable() }).nullable(),
  /** Why κ is absent (a scorer not on the 1–5 scale, no spread…); null when computed. */
  kappaNote: z.string().nullable(),
  /** One plain-language sentence with the Koo & Li label. */
  verdict: z.string(),
})
export type ScorerAgreement = z.infer<typeof ScorerAgreement>

/** Clinicians among themselves, MedHELM's way: the pair of clinicians with the most items in common. */
export const ClinicianPairBaseline = z.object({
  raters: z.array(z.string()),
  items: z.number().int().nonnegative(),
  status: z.enum(['ok', 'not_computable']),
  reason: z.string().nullable(),
  icc3k: IccDetail.nullable(),
  verdict: z.string(),
})
export type ClinicianPairBaseline = z.infer<typeof ClinicianPairBaseline>

/** Scorers ranked by agreement with the clinicians (best first), with the clinicians' own baseline. */
export const ScorerLeague = z.object({
  /** Review sets pooled (one for a set's own table). */
  setIds: z.array(z.number().int()),
  /** Items with a clinician rating on every criterion. */
  ratedItems: z.number().int().nonnegative(),
  seed: z.number().int(),
  scorers: z.array(ScorerAgreement),
  baseline: ClinicianPairBaseline,
  /** The answer in one plain sentence: which scorer agrees best, with its Koo & Li label, against the baseline. */
  headline: z.string(),
})
export type ScorerLeague = z.infer<typeof ScorerLeague>

/** One item of the jury-vs-clinician scatter (raw 1–5 means, overall). No model or item identity. */
export const AgreementPoint = z.object({ jury: z.number(), clinicians: z.number() })

export const ReviewAgreement = z.object({
  setId: z.number().int(),
  minItems: z.number().int(),
  /** Items in the set; rated by at least one reviewer; with at least one valid jury vote. */
  counts: z.object({
    items: z.number().int().nonnegative(),
    rated: z.number().int().nonnegative(),
    juryScored: z.number().int().nonnegative(),
  }),
  criteria: z.array(ReviewCriterion),
  reviewers: z.array(ReviewerProgress),
  /** Jury vs clinicians, per criterion then overall. */
  juryVsClinicians: z.array(AgreementFigure),
  /** Clinicians among themselves (≥ 2 reviewers on the same items), per criterion then overall. */
  clinicianBaseline: z.array(AgreementFigure),
  points: z.array(AgreementPoint),
  /** OS users who entered ratings of this set for more than one reviewer. */
  identityWarnings: z.array(IdentityWarning),
  /** Least-squares line of the clinicians' score on the jury's over `points`; null below 2 distinct jury scores. */
  fit: z.object({ slope: z.number(), intercept: z.number() }).nullable(),
  /** Every automatic scorer of the set against the clinicians, best first. */
  league: ScorerLeague,
})
export type ReviewAgreement = z.infer<typeof ReviewAgreement>

/** After rating: one item with its model, the reviewer's scores next to the jury's. */
export const UnblindedItem = z.object({
  position: z.number().int().nonnegative(),
  runItemId: z.number().int(),
  instanceId: z.string(),
  modelKey: z.string(),
  comment: z.string(),
  rows: z.array(
    z.object({
      criterion: z.string(),
      name: z.string(),
      clinician: z.number().int().nullable(),
      /** Mean of the judges' valid votes; null when none. */
      jury: z.number().nullable(),
      votes: z.array(z.object({ judge: z.string(), score: z.number().int().nullable() })),
    }),
  ),
})
export type UnblindedItem = z.infer<typeof UnblindedItem>

export const reviewContract = {
  'review:reviewers': { input: z.undefined(), output: z.array(Reviewer) },
  /** The reviewer of this name (case-insensitive), created when there is none. */
  'review:reviewer-open': {
    input: z
      .object({
        name: ReviewerName,
        /** Required to choose another reviewer than the one last chosen on this machine. */
        confirmSwitch: z.boolean().default(false),
      })
      .strict(),
    output: Reviewer,
  },
  /** The reviewer last chosen on this machine and the OS user entering ratings. */
  'review:identity': { input: z.undefined(), output: ReviewerIdentity },
  'review:sets': { input: z.undefined(), output: z.array(ReviewSetSummary) },
  'review:candidates': { input: z.undefined(), output: z.array(ReviewCandidate) },
  'review:create-set': { input: CreateReviewSetInput, output: ReviewSetSummary },
  /** Where the reviewer stopped in the set, and the set's criteria. */
  'review:session': { input: SetReviewer, output: ReviewSession },
  /** One item at a position of the reviewer's order, blind; records it as where the reviewer is. */
  'review:item': {
    input: z.object({ setId: Id, reviewerId: Id, position: z.number().int().nonnegative() }).strict(),
    output: BlindItem,
  },
  /** Saves the reviewer's scores of one item (every criterion) and comment in one transaction. */
  'review:rate': { input: RateInput, output: RateResult },
  'review:agreement': { input: z.object({ setId: Id }).strict(), output: ReviewAgreement },
  /** The scorer league pooled across review sets (every set when `setIds` is absent). */
  'review:league': {
    input: z.object({ setIds: z.array(Id).max(1000).optional() }).strict(),
    output: ScorerLeague,
  },
  /** After the reviewer rated every item: each item's model and the jury's scores next to theirs. */
  'review:unblinded': { input: SetReviewer, output: z.array(UnblindedItem) },
} as const

export const reviewEvents = {} as const
