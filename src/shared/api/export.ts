import { z } from 'zod'
import { LeaderboardQuery } from './leaderboard'

// Channels of the analysts' exports (leaderboard CSV/JSON, HELM-shaped statistics, per-instance
// results). Combined in ./contract.ts; handlers in src/main/export/handlers.ts.

/** Shown before prompts and responses are exported (app dialog; the CLI prints it). */
export const PATIENT_TEXT_WARNING =
  'Prompts and responses may contain patient data: the file will hold them in clear text. Keep it inside the hospital network and delete it when done.'

const File = z.string().min(1).max(4096).optional()
const JobId = z.string().min(1).max(100).optional()
const Query = LeaderboardQuery.omit({ jobId: true })

export const ExportOutcome = z.object({
  /** The file written (for a HELM export into a folder: the whole document in it). */
  file: z.string(),
  /** Data records written: CSV rows without the header, JSONL lines, or models (JSON). */
  records: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
})
export type ExportOutcome = z.infer<typeof ExportOutcome>

export const exportContract = {
  /** The leaderboard of `query` (as `leaderboard:get` computes it) as CSV or JSON. */
  'export:leaderboard': {
    input: z.object({ query: Query, format: z.enum(['csv', 'json']), file: File, jobId: JobId }).strict(),
    output: ExportOutcome,
  },
  /** HELM-shaped per-benchmark statistics of the leaderboard of `query`. */
  'export:helm': {
    input: z.object({ query: Query, file: File, jobId: JobId }).strict(),
    output: ExportOutcome.extend({ runSpecs: z.number().int().nonnegative() }),
  },
  /** One run's per-instance results, streamed; prompts and responses only with `includeText` and `confirmed`. */
  'export:instances': {
    input: z
      .object({
        runId: z.number().int().positive(),
        format: z.enum(['csv', 'jsonl']),
        file: File,
        includeText: z.boolean().default(false),
        confirmed: z.boolean().default(false),
        jobId: JobId,
      })
      .strict(),
    output: ExportOutcome,
  },
} as const
