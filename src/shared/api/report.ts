import { z } from 'zod'

// The report for a governance committee (src/main/report/): one signed, self-contained HTML or PDF.

export const ReportFormat = z.enum(['html', 'pdf'])
export type ReportFormat = z.infer<typeof ReportFormat>

export const ExportReportInput = z
  .object({
    format: ReportFormat,
    /** The leaderboard selection the report covers (as leaderboard:get). */
    runIds: z.array(z.number().int().positive()).min(1).max(500).optional(),
    categoryId: z.string().trim().min(1).max(100).optional(),
    seed: z
      .number()
      .int()
      .nonnegative()
      .max(2 ** 31)
      .optional(),
    adjust: z.enum(['holm', 'bh']).optional(),
    /** Each model's own instances (labelled unpaired; no tests). */
    unpaired: z.boolean().optional(),
    /** Jury scores calibrated to the clinicians beside the raw ones (as leaderboard:get). */
    calibration: z.union([z.literal('latest'), z.number().int().positive()]).optional(),
    /** Instance texts with the models' answers per benchmark: may contain patient data (the screen asks first). */
    includeExamples: z.number().int().min(0).max(20).default(0),
    /** USD per GPU-hour: prices local models by their measured generation time. */
    gpuHourUsd: z.number().finite().nonnegative().max(100_000).optional(),
    /** A file chosen in the save dialog (app:pick-save-file); absent: the exports folder. */
    file: z.string().min(1).optional(),
    /** Follow the build through `job:progress` events with this id. */
    jobId: z.string().min(1).max(100).optional(),
  })
  .strict()
export type ExportReportInput = z.input<typeof ExportReportInput>

export const WrittenReport = z.object({
  file: z.string(),
  format: ReportFormat,
  bytes: z.number().int().nonnegative(),
  /** sha256 of the report's content (without the embedded signature block). */
  contentSha256: z.string(),
  /** The installation key that signed it. */
  fingerprint: z.string(),
  signedAt: z.string(),
  title: z.string(),
  scope: z.string(),
})
export type WrittenReport = z.infer<typeof WrittenReport>

export const reportContract = {
  /** Builds, renders and writes a signed report (the signature embedded in the file). */
  'report:export': { input: ExportReportInput, output: WrittenReport },
} as const
