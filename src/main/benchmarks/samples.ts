import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AppContext } from '../app/context'
import { readOnlyReason } from '../db/open'
import { MANIFEST_FILE } from './importers/pack-files'
import { SAMPLE_FORMAT } from './queries'

/**
 * The bundled sample benchmarks (resources/samples/<id>/, built by scripts/build-samples.ts).
 * A new, empty database gets them on first open so a newcomer sees real benchmarks at once: the
 * CLI seeds before any command that opens the database runs (../cli/program.ts), the app as soon
 * as it has opened it (../index.ts); whoever comes first, `run --benchmark pubmed_qa` works. That
 * happens once: the settings table records it, so samples a user deleted are not put back unless
 * the user asks (`restoreSamples`). WARDEVAL_NO_SAMPLES=1 turns seeding off (tests, benchmarks).
 */

export const SAMPLES_SETTING = 'benchmarks.samples_seeded'

export function sampleFolders(resourcesDir: string): string[] {
  const dir = join(resourcesDir, 'samples')
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, MANIFEST_FILE)))
    .map((d) => join(dir, d.name))
    .sort()
}

function recordSetting(ctx: AppContext, value: unknown): void {
  ctx.db
    .prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(SAMPLES_SETTING, JSON.stringify(value), new Date().toISOString())
}

async function seed(ctx: AppContext): Promise<string[]> {
  if (ctx.env.WARDEVAL_NO_SAMPLES === '1' || readOnlyReason(ctx.db) !== null) return []
  if (ctx.db.prepare('SELECT 1 FROM settings WHERE key = ?').get(SAMPLES_SETTING)) return []
  const userData = ctx.db
    .prepare('SELECT COUNT(*) AS n FROM benchmark_versions WHERE source_format <> ?')
    .get(SAMPLE_FORMAT) as { n: number }
  if (userData.n > 0) {
    recordSetting(ctx, {
      seeded: [],
      skipped: 'the database already held benchmarks',
      at: new Date().toISOString(),
    })
    return []
  }
  const seeded: string[] = []
  // The importer is loaded only when there is something to seed (the CLI checks on every start).
  const { runImport } = await import('./import')
  for (const folder of sampleFolders(ctx.resourcesDir)) {
    const r = await runImport(ctx, { format: 'pack', path: folder }, { sourceFormat: SAMPLE_FORMAT })
    seeded.push(r.benchmarkId)
  }
  recordSetting(ctx, { seeded, at: new Date().toISOString() })
  return seeded
}

const pending = new WeakMap<AppContext, Promise<string[]>>()

/** Seeds the samples into a new database, once per database; concurrent callers share one run. */
export function ensureSamples(ctx: AppContext): Promise<string[]> {
  let p = pending.get(ctx)
  if (!p) {
    p = seed(ctx)
    pending.set(ctx, p)
    p.catch(() => pending.delete(ctx))
  }
  return p
}

/**
 * Imports the bundled samples whose benchmark is not in the database (the user asked for them
 * back). A benchmark the user has loaded in full is left alone.
 */
export async function restoreSamples(ctx: AppContext): Promise<string[]> {
  const restored: string[] = []
  const exists = ctx.db.prepare('SELECT 1 FROM benchmarks WHERE id = ?')
  const [{ runImport }, { readManifest }] = await Promise.all([
    import('./import'),
    import('./importers/pack'),
  ])
  for (const folder of sampleFolders(ctx.resourcesDir)) {
    const { id } = await readManifest(join(folder, MANIFEST_FILE))
    if (exists.get(id)) continue
    const r = await runImport(ctx, { format: 'pack', path: folder }, { sourceFormat: SAMPLE_FORMAT })
    restored.push(r.benchmarkId)
  }
  return restored
}
