import { z } from 'zod'
import { IccValue } from './review'

// Channels of the judge bias report and the calibration of the jury to local clinicians.
// Combined in ./contract.ts. See src/main/review/bias.ts and src/main/review/calibration.ts.

/** Fewest items (rated by a clinician and scored by the jury) a calibration is fitted on. */
export const MIN_CALIBRATION_ITEMS = 30
export const DEFAULT_CALIBRATION_FOLDS = 5
/** Bootstrap resamples behind the bias report's intervals. */
export const BIAS_BOOTSTRAP = 2000

const Id = z.number().int().positive()
const Interval = z.tuple([z.number(), z.number()])

/** Agreement of a score with the clinicians' mean on the same items (1–5 scale). */
export const CalibrationAgreement = z.object({
  items: z.number().int().nonnegative(),
  /** Mean of (score − clinicians): above 0 the score is more lenient than the clinicians. */
  meanDifference: z.number(),
  meanAbsError: z.number(),
  rmse: z.number(),
  /** ICC(2,1), absolute agreement on the raw 1–5 scores: does the score say what the clinicians say. */
  iccAbsolute: IccValue.nullable(),
  /** ICC(3,k) on z-scored ratings (MedHELM's figure): does it rank the items as they do. */
  iccConsistency: IccValue.nullable(),
  /** Why an ICC is missing (no spread…); null when both are there. */
  note: z.string().nullable(),
})
export type CalibrationAgreement = z.infer<typeof CalibrationAgreement>

export const Calibration = z.object({
  /** Null when the fit was not stored (--dry-run). */
  id: z.number().int().nullable(),
  setIds: z.array(z.number().int()),
  benchmarks: z.array(z.string()),
  /** Items the map is fitted on: each with a clinicians' mean composite and a jury composite. */
  items: z.number().int(),
  /** Clinician ratings (reviewer × item, every criterion) behind those means. */
  ratings: z.number().int(),
  seed: z.number().int(),
  folds: z.number().int(),
  /** Knots of the monotone map jury composite → clinicians' mean (linear between, flat beyond). */
  map: z.object({ x: z.array(z.number()), y: z.array(z.number()) }),
  /** On held-out items (k-fold cross-validation): the raw jury composite against the clinicians… */
  before: CalibrationAgreement,
  /** …and the calibrated one, each item predicted by a map fitted without its fold. */
  after: CalibrationAgreement,
  /** "calibrated to N clinician ratings (set …)": shown wherever a calibrated score is. */
  label: z.string(),
  createdAt: z.string(),
})
export type Calibration = z.infer<typeof Calibration>

export const CalibrateInput = z
  .object({
    setIds: z.array(Id).min(1).max(100),
    folds: z.number().int().min(2).max(20).default(DEFAULT_CALIBRATION_FOLDS),
    seed: z.number().int().min(0).max(2_147_483_647).default(0),
    /** Store the fit so the leaderboard can apply it (default true). */
    save: z.boolean().default(true),
  })
  .strict()
export type CalibrateInput = z.input<typeof CalibrateInput>
export type CalibrateParsed = z.output<typeof CalibrateInput>

/** A mean difference or correlation with its seeded bootstrap interval (over items). */
export const Estimate = z.object({
  value: z.number(),
  ci95: Interval.nullable(),
  /** Items it rests on. */
  n: z.number().int().nonnegative(),
})
export type Estimate = z.infer<typeof Estimate>

export const FamilySource = z.enum(['ollama', 'name'])

export const SelfPreference = z.object({
  /** The evaluated model of the judge's family. */
  modelKey: z.string(),
  family: z.string(),
  /**
   * The judge's leniency on this model's items minus its leniency on the other models' items
   * (null without items of both kinds): above 0, it favours its own family.
   */
  excess: Estimate.nullable(),
})

export const JudgeBias = z.object({
  /** A judge key, or 'jury' for the mean of the judges. */
  judge: z.string(),
  family: z.string().nullable(),
  familySource: FamilySource.nullable(),
  /** Items with this judge's composite and a clinicians' mean. */
  items: z.number().int().nonnegative(),
  /** Mean of (judge − clinicians) on the 1–5 composite, with a bootstrap CI over items. */
  leniency: Estimate.nullable(),
  /** Pearson r of the judge's composite with the response length in words. */
  lengthCorrelation: Estimate.nullable(),
  /** Pearson r of (judge − clinicians) with the length: above 0, it rewards length more than they do. */
  verbosity: Estimate.nullable(),
  /** Evaluated models of the judge's own family (self-preference risk). */
  sameFamily: z.array(SelfPreference),
})
export type JudgeBias = z.infer<typeof JudgeBias>

export const JudgeBiasReport = z.object({
  setId: z.number().int(),
  seed: z.number().int(),
  resamples: z.number().int(),
  /** Items with a clinicians' mean composite. */
  ratedItems: z.number().int().nonnegative(),
  models: z.array(
    z.object({
      modelKey: z.string(),
      family: z.string(),
      familySource: FamilySource,
      items: z.number().int().nonnegative(),
    }),
  ),
  judges: z.array(JudgeBias),
  /** The jury settings' exclusion of same-family judges (scores of later passes follow it). */
  excludeSameFamily: z.boolean(),
  notes: z.array(z.string()),
})
export type JudgeBiasReport = z.infer<typeof JudgeBiasReport>

export const calibrationContract = {
  /** Each judge's leniency, verbosity and same-family flags against the clinicians of one set. */
  'review:bias': {
    input: z.object({ setId: Id, seed: z.number().int().min(0).max(2_147_483_647).optional() }).strict(),
    output: JudgeBiasReport,
  },
  /** Fits (and by default stores) an isotonic map jury → clinicians, with before/after on held-out items. */
  'review:calibrate': { input: CalibrateInput, output: Calibration },
  /** Stored calibrations, newest first. */
  'review:calibrations': { input: z.undefined(), output: z.array(Calibration) },
} as const

/** "calibrated to 42 clinician ratings (sets 1, 2)". */
export function calibrationLabel(ratings: number, setIds: readonly number[]): string {
  return `calibrated to ${ratings} clinician rating${ratings === 1 ? '' : 's'} (set${setIds.length === 1 ? '' : 's'} ${setIds.join(', ')})`
}
