import { z } from 'zod'

export const TableCount = z.object({ table: z.string(), rows: z.number().int().nonnegative() })

export const DbInfo = z.object({
  path: z.string(),
  schemaVersion: z.number().int(),
  latestSchemaVersion: z.number().int(),
  sqliteVersion: z.string(),
  journalMode: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  tables: z.array(TableCount),
})
export type DbInfo = z.infer<typeof DbInfo>

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  dbPath: z.string(),
  schemaVersion: z.number().int(),
  platform: z.string(),
})
export type AppInfo = z.infer<typeof AppInfo>

export const OllamaStatus = z.object({
  url: z.string(),
  reachable: z.boolean(),
  version: z.string().nullable(),
  error: z.string().nullable(),
  checkedAt: z.string(),
})
export type OllamaStatus = z.infer<typeof OllamaStatus>

export const appContract = {
  'app:info': { input: z.undefined(), output: AppInfo },
  'app:db-info': { input: z.undefined(), output: DbInfo },
  'app:ollama-status': { input: z.undefined(), output: OllamaStatus },
  /**
   * Asks the host for a native save dialog. The path the user chooses is recorded: channels that
   * write a file on the renderer's request accept only such a path or one inside the exports
   * folder. Where no dialog exists (browser tests, headless) `available` is false and files go to
   * the exports folder.
   */
  'app:pick-save-file': {
    input: z.object({
      defaultName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a plain file name'),
      extensions: z.array(z.string().regex(/^[a-z0-9]{1,8}$/)).max(4),
      /** Only ask whether a dialog exists. */
      probe: z.boolean().default(false),
    }),
    output: z.object({ available: z.boolean(), path: z.string().nullable() }),
  },
} as const

/** Progress of a long job (an import, a scoring pass): shown as a progress bar. */
export const JobProgress = z.object({
  jobId: z.string(),
  kind: z.string(), // 'import', 'score', ...
  label: z.string(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(), // null when the total is not known yet
  unit: z.string().default('items'),
  state: z.enum(['running', 'done', 'failed']),
  message: z.string().nullable().default(null),
})
export type JobProgress = z.infer<typeof JobProgress>

export const appEvents = {
  'job:progress': JobProgress,
} as const
