import type { CreateRunParsed, RunManifest } from '../../shared/api/runs'
import { RunManifest as RunManifestSchema, RunSettings as RunSettingsSchema } from '../../shared/api/runs'
import type { AppContext } from '../app/context'
import { APP_NAME, APP_VERSION } from '../app/version'
import type { Db } from '../db/open'
import { writeWhenFree } from '../db/busy-wait'
import { schemaVersion } from '../db/migrate'
import { egressGuard } from '../egress'
import { AppError } from '../errors'
import { visibleVersion } from '../benchmarks/staging'
import { refreshEndpointModels } from '../models/catalog'
import { parseModelKey } from '../models/clients'
import { getEndpoint } from '../models/endpoints'
import { toModelError } from '../models/errors'
import { checkPrompt, PromptError, promptNeeds, promptTemplateHash } from './prompt'
import { samplePositions } from './sample'
import { mainMetric } from './score-inline'
import { effectiveGeneration } from './settings'
import { loadBenchmarkVersion } from './store'

/**
 * Creating a run: its models resolved (an endpoint listed once when a model was never seen) and
 * pooled, its benchmarks' instances sampled and checked against their prompt templates, and its
 * items and manifest written in one transaction. Apart from ./store.ts (reading runs) so that what
 * only reads does not load the model clients and the egress guard.
 */

type Ctx = Pick<AppContext, 'db' | 'env'>

function latestVersionId(db: Db, benchmarkId: string): number {
  const row = db
    .prepare(
      `SELECT MAX(id) AS id FROM benchmark_versions v WHERE benchmark_id = ? AND ${visibleVersion('v')}`,
    )
    .get(benchmarkId) as { id: number | null }
  if (row.id === null)
    throw new AppError(
      'not_found',
      `benchmark: "${benchmarkId}" is not loaded in this database (see \`benchmarks\`)`,
    )
  return row.id
}

interface ResolvedModel {
  key: string
  endpointId: number
  endpoint: string
  endpointKind: string
  baseUrl: string
  concurrency: number
  timeoutMs: number
  name: string
  digest: string | null
}

/** Resolves a model key to its endpoint and digest, listing the endpoint once if the model was never seen. */
async function resolveModel(ctx: Ctx, key: string, listed: Set<number>): Promise<ResolvedModel> {
  const { endpoint: endpointName, model } = parseModelKey(key)
  const actor = egressGuard(ctx).actor
  const endpoint = getEndpoint(ctx, endpointName, actor)
  const find = () =>
    ctx.db.prepare('SELECT digest FROM models WHERE endpoint_id = ? AND name = ?').get(endpoint.id, model) as
      { digest: string | null } | undefined
  let row = find()
  if (!row && !listed.has(endpoint.id)) {
    listed.add(endpoint.id)
    try {
      await refreshEndpointModels(ctx, endpoint)
    } catch (e) {
      const err = toModelError(e, endpoint.name)
      throw new AppError(
        err.code,
        `model: could not list the models of endpoint "${endpoint.name}" to find "${model}": ${err.message}`,
      )
    }
    row = find()
  }
  if (!row) {
    const names = (
      ctx.db.prepare('SELECT name FROM models WHERE endpoint_id = ? ORDER BY name').all(endpoint.id) as {
        name: string
      }[]
    ).map((r) => r.name)
    throw new AppError(
      'not_found',
      `model: "${model}" is not on endpoint "${endpoint.name}"${names.length ? ` (it serves: ${names.slice(0, 20).join(', ')})` : ' (it lists no models)'}`,
    )
  }
  return {
    key: `${endpoint.name}/${model}`,
    endpointId: endpoint.id,
    endpoint: endpoint.name,
    endpointKind: endpoint.kind,
    baseUrl: endpoint.baseUrl,
    concurrency: endpoint.concurrency,
    timeoutMs: endpoint.timeoutMs,
    name: model,
    digest: row.digest,
  }
}

/**
 * Groups model keys into pools: keys joined with '+' by the user, and keys whose models have the
 * same digest (the same model served by several endpoints). A pool's work is recorded under its
 * first key.
 */
export function poolModels<T extends { key: string; digest: string | null }>(
  groups: T[][],
): { pool: string; members: T[] }[] {
  const pools: { pool: string; members: T[] }[] = []
  for (const group of groups) {
    const digests = new Set(group.map((m) => m.digest).filter((d): d is string => d !== null))
    const same = pools.find((p) => p.members.some((m) => m.digest !== null && digests.has(m.digest)))
    if (same) {
      for (const m of group) if (!same.members.some((x) => x.key === m.key)) same.members.push(m)
    } else {
      pools.push({ pool: group[0]!.key, members: [...group] })
    }
  }
  for (const p of pools) {
    const names = new Set(p.members.map((m) => m.key))
    if (names.size !== p.members.length)
      throw new AppError('invalid_input', `model: "${p.pool}" is listed twice`)
  }
  return pools
}

/**
 * Creates a run: its models (pooled), benchmarks, sampled instances and one run item per pool and
 * instance, with its manifest, in one transaction. Every sampled instance is checked against the
 * prompt template here (the fields it fills: options, metadata), so a template the instances cannot
 * fill is refused before anything runs. The run is left 'pending'.
 */
export async function createRun(
  ctx: Ctx,
  input: CreateRunParsed,
  now: () => string = () => new Date().toISOString(),
): Promise<number> {
  const settings = RunSettingsSchema.parse(input.settings)
  const listed = new Set<number>()
  const groups: ResolvedModel[][] = []
  for (const entry of input.models) {
    const keys = entry
      .split('+')
      .map((k) => k.trim())
      .filter((k) => k !== '')
    const group: ResolvedModel[] = []
    for (const k of keys) group.push(await resolveModel(ctx, k, listed))
    if (group.length > 0) groups.push(group)
  }
  if (groups.length === 0)
    throw new AppError('invalid_input', 'model: name at least one model as <endpoint>/<model>')
  const pools = poolModels(groups)
  const benchmarkIds = [...new Set(input.benchmarks.map((b) => b.trim()).filter((b) => b !== ''))]
  const benchmarks = benchmarkIds.map((id) => loadBenchmarkVersion(ctx.db, latestVersionId(ctx.db, id)))

  const db = ctx.db
  const sampled = benchmarks.map((b) => {
    const picked = pickInstances(db, b, settings.limit, input.seed)
    return { benchmark: b, picked }
  })

  const createdAt = now()
  // Created in one transaction; a database locked by another process (an import) is waited for.
  const create = db.transaction(() => {
    const runId = Number(
      db
        .prepare(
          "INSERT INTO runs (name, status, settings_json, seed, created_at) VALUES (?, 'pending', ?, ?, ?)",
        )
        .run(input.name, JSON.stringify(settings), input.seed, createdAt).lastInsertRowid,
    )
    const insertModel = db.prepare(
      'INSERT INTO run_models (run_id, model_key, model_name, model_digest, pool_key, endpoint_id) VALUES (?, ?, ?, ?, ?, ?)',
    )
    for (const p of pools)
      for (const m of p.members) insertModel.run(runId, m.key, m.name, m.digest, p.pool, m.endpointId)
    const insertBenchmark = db.prepare(
      'INSERT INTO run_benchmarks (run_id, benchmark_version_id, instance_limit) VALUES (?, ?, ?)',
    )
    // One statement per benchmark × pool, its instance ids as one JSON array (in order).
    const insertItems = db.prepare(
      "INSERT INTO run_items (run_id, model_key, instance_id, status, updated_at) SELECT ?, ?, value, 'pending', ? FROM json_each(?) ORDER BY key",
    )
    for (const s of sampled) {
      insertBenchmark.run(runId, s.benchmark.versionId, settings.limit)
      const ids = JSON.stringify(s.picked.ids)
      for (const p of pools) insertItems.run(runId, p.pool, createdAt, ids)
    }
    const total = pools.length * sampled.reduce((n, s) => n + s.picked.ids.length, 0)
    const endpoints = new Map<string, ResolvedModel>()
    for (const p of pools) for (const m of p.members) endpoints.set(m.endpoint, m)
    const manifest: RunManifest = {
      format: 'wardeval-run-manifest/1',
      run: { id: runId, name: input.name, status: 'pending' },
      app: {
        name: APP_NAME,
        version: APP_VERSION,
        schemaVersion: schemaVersion(db),
        platform: process.platform,
        node: process.versions.node,
      },
      seed: input.seed,
      settings,
      models: pools.flatMap((p) =>
        p.members.map((m) => ({
          key: m.key,
          pool: p.pool,
          endpoint: m.endpoint,
          endpointKind: m.endpointKind,
          baseUrl: m.baseUrl,
          name: m.name,
          digest: m.digest,
        })),
      ),
      endpoints: [...endpoints.values()].map((m) => ({
        name: m.endpoint,
        kind: m.endpointKind,
        baseUrl: m.baseUrl,
        concurrency: settings.concurrency ?? m.concurrency,
        timeoutMs: settings.timeoutMs ?? m.timeoutMs,
      })),
      benchmarks: sampled.map(({ benchmark: b, picked }) => {
        const g = effectiveGeneration(b.manifest.prompt, settings)
        return {
          id: b.benchmarkId,
          name: b.name,
          version: b.version,
          versionId: b.versionId,
          taskType: b.manifest.taskType,
          contentHash: b.contentHash,
          promptTemplateHash: promptTemplateHash(b.manifest.prompt),
          instanceCount: b.instanceCount,
          sampled: picked.ids.length,
          sampledIds: picked.extIds,
          generation: { temperature: g.temperature, maxTokens: g.maxTokens, stop: g.stop, numCtx: g.numCtx },
          mainMetric: mainMetric(b.manifest),
        }
      }),
      times: { createdAt, startedAt: null, finishedAt: null },
      counts: {
        total,
        done: 0,
        failed: 0,
        pending: total,
        cached: 0,
        requestsSent: 0,
        requestsFailed: 0,
        failedByKind: [],
      },
    }
    db.prepare('UPDATE runs SET manifest_json = ? WHERE id = ?').run(
      JSON.stringify(RunManifestSchema.parse(manifest)),
      runId,
    )
    return runId
  })
  return writeWhenFree(db, () => create())
}

function pickInstances(
  db: Db,
  b: ReturnType<typeof loadBenchmarkVersion>,
  limit: number | null,
  seed: number,
): { ids: number[]; extIds: string[] } {
  const all = db
    .prepare('SELECT id FROM instances WHERE benchmark_version_id = ? ORDER BY ordinal')
    .pluck()
    .all(b.versionId) as number[]
  if (all.length === 0) throw new AppError('bad_data', `benchmark: "${b.benchmarkId}" has no instances`)
  const ids = samplePositions(all.length, limit, seed, `${b.benchmarkId}@${b.contentHash}`).map(
    (i) => all[i]!,
  )
  const sample = ids.length < all.length
  const extIdOf = new Map<number, string>()
  for (const r of promptFields(db, b, sample ? ids : null)) {
    if (sample) extIdOf.set(r.id, r.ext_id)
    try {
      checkPrompt(b.manifest.prompt, {
        input: '',
        choices: r.has_choices ? STAND_IN_CHOICES : null,
        metadata: r.metadata_json === null ? {} : (JSON.parse(r.metadata_json) as Record<string, unknown>),
      })
    } catch (e) {
      if (e instanceof PromptError)
        throw new AppError(
          'bad_data',
          `benchmark "${b.benchmarkId}" instance "${r.ext_id}": field "${e.field}": ${e.message}`,
        )
      throw e
    }
  }
  return { ids, extIds: sample ? ids.map((id) => extIdOf.get(id)!) : [] }
}

/** Options standing in for an instance's own when only whether it has any matters. */
const STAND_IN_CHOICES = ['', '']

/**
 * What the benchmark's prompt takes from the instances (`ids`, or all of the version's): whether
 * each has options, and its metadata when the template names metadata fields. Inputs are never
 * read (an import accepts no empty input): a run over notes of several kilobytes is checked
 * without loading them.
 */
function promptFields(db: Db, b: ReturnType<typeof loadBenchmarkVersion>, ids: number[] | null) {
  const needs = promptNeeds(b.manifest.prompt)
  const hasChoices = needs.choices ? "choices_json IS NOT NULL AND choices_json <> '[]'" : '0'
  const columns = `id, ext_id, ${hasChoices} AS has_choices,
    ${needs.metadata ? 'metadata_json' : 'NULL AS metadata_json'}`
  const rows =
    ids === null
      ? db
          .prepare(`SELECT ${columns} FROM instances WHERE benchmark_version_id = ? ORDER BY ordinal`)
          .iterate(b.versionId)
      : db
          .prepare(
            `SELECT ${columns} FROM instances WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ordinal`,
          )
          .iterate(JSON.stringify(ids))
  return rows as IterableIterator<{
    id: number
    ext_id: string
    has_choices: number
    metadata_json: string | null
  }>
}
