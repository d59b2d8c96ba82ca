import {
  ScoringSettings,
  type ScoringSettings as Settings,
  type ScoringSettingsInput,
} from '../../../shared/api/jury'
import type { AppContext } from '../../app/context'
import { AppError } from '../../errors'
import { assertKnownModelKeys } from '../../models/known'

/**
 * The stored defaults of the scoring pass: the jury (judge model keys) and the embedding model.
 * One row in `settings`, validated JSON; a `score` pass may override both.
 */
export const SCORING_SETTINGS_KEY = 'scoring.jury'

const EMPTY: Settings = { judges: [], embeddingModel: null, excludeSameFamily: false }

export function readScoringSettings(ctx: Pick<AppContext, 'db'>): Settings {
  const row = ctx.db.prepare('SELECT value FROM settings WHERE key = ?').get(SCORING_SETTINGS_KEY) as
    { value: string } | undefined
  if (!row) return { ...EMPTY, judges: [] }
  const parsed = ScoringSettings.safeParse(JSON.parse(row.value))
  if (!parsed.success)
    throw new AppError(
      'bad_data',
      `settings "${SCORING_SETTINGS_KEY}" is invalid: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`,
    )
  return parsed.data
}

export function writeScoringSettings(ctx: Pick<AppContext, 'db'>, settings: ScoringSettingsInput): Settings {
  const parsed = ScoringSettings.safeParse(settings)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    throw new AppError(
      'invalid_input',
      `scoring settings: ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`,
      {
        issues: parsed.error.issues.map((i) => ({
          path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
          message: i.message,
        })),
      },
    )
  }
  const value = parsed.data
  // One transaction: the write comes first, so a read-only database refuses as for any write; an
  // unknown key then undoes it.
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(SCORING_SETTINGS_KEY, JSON.stringify(value), new Date().toISOString())
    assertKnownJury(ctx, value)
  })()
  return value
}

/**
 * Judges and the embedding model must be models an endpoint serves: a mistyped key is refused
 * here (app and CLI alike), naming the field, instead of failing every vote of a later pass.
 */
export function assertKnownJury(
  ctx: Pick<AppContext, 'db'>,
  jury: { judges?: readonly string[]; embeddingModel?: string | null },
): void {
  if (jury.judges?.length) assertKnownModelKeys(ctx.db, 'judges', jury.judges, 'served')
  if (jury.embeddingModel) assertKnownModelKeys(ctx.db, 'embedding model', [jury.embeddingModel], 'served')
}
