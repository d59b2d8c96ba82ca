import type { RunManifest } from '../../../shared/api/runs'
import type { ReportBlock, ReportSection } from '../doc'
import type { ReportInputs } from '../inputs'
import { dash, when } from './format'

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>()
  for (const t of items) if (!seen.has(key(t))) seen.set(key(t), t)
  return [...seen.values()]
}

function modelsTable(ms: RunManifest[]): ReportBlock {
  const models = uniqueBy(
    ms.flatMap((m) => m.models),
    (m) => `${m.key}|${m.endpoint}|${m.digest ?? ''}`,
  )
  return {
    kind: 'table',
    caption: 'Models: the exact weights (digest) and where they ran',
    columns: [
      { key: 'model', label: 'Model' },
      { key: 'endpoint', label: 'Endpoint' },
      { key: 'url', label: 'Address' },
      { key: 'digest', label: 'Digest' },
    ],
    rows: models.map((m) => ({
      model: m.pool,
      endpoint: `${m.endpoint} (${m.endpointKind})`,
      url: m.baseUrl,
      digest: m.digest ?? 'not reported by the server',
    })),
  }
}

function benchmarksTable(ms: RunManifest[]): ReportBlock {
  const benchmarks = uniqueBy(
    ms.flatMap((m) => m.benchmarks.map((b) => ({ ...b, seed: m.seed }))),
    (b) => `${b.id}|${b.version}|${b.promptTemplateHash}|${b.sampled}`,
  )
  return {
    kind: 'table',
    caption: 'Benchmarks: content and prompt-template hashes, instances used',
    columns: [
      { key: 'benchmark', label: 'Benchmark' },
      { key: 'version', label: 'Version' },
      { key: 'n', label: 'n used / loaded', align: 'right' },
      { key: 'content', label: 'Content sha256' },
      { key: 'prompt', label: 'Prompt template sha256' },
      { key: 'generation', label: 'Generation' },
    ],
    rows: benchmarks.map((b) => ({
      benchmark: `${b.name} (${b.id})`,
      version: b.version,
      n: `${b.sampled} / ${b.instanceCount}`,
      content: b.contentHash,
      prompt: b.promptTemplateHash,
      generation: `temperature ${b.generation.temperature}, max ${b.generation.maxTokens} tokens${b.generation.numCtx ? `, context ${b.generation.numCtx}` : ''}`,
    })),
  }
}

function runsTable(ms: RunManifest[]): ReportBlock {
  return {
    kind: 'table',
    caption: 'Runs the results come from',
    columns: [
      { key: 'run', label: 'Run' },
      { key: 'status', label: 'Status' },
      { key: 'seed', label: 'Seed', align: 'right' },
      { key: 'settings', label: 'Settings' },
      { key: 'app', label: 'App version' },
      { key: 'dates', label: 'Started – finished' },
    ],
    rows: ms.map((m) => ({
      run: `${m.run.id}${m.run.name ? ` ${m.run.name}` : ''}`,
      status: m.run.status,
      seed: String(m.seed),
      settings: `limit ${m.settings.limit ?? 'all'}, ${m.settings.maxAttempts} tries, cache ${m.settings.useCache ? 'on' : 'off'}`,
      app: m.app.version,
      dates: `${when(m.times.startedAt ?? m.times.createdAt)} – ${when(m.times.finishedAt)}`,
    })),
  }
}

export function scopeSection(x: ReportInputs): ReportSection {
  const lb = x.leaderboard
  const s = lb.statistics
  const category = lb.categoryId
    ? (lb.categories.find((c) => c.id === lb.categoryId)?.name ?? lb.categoryId)
    : null
  return {
    id: 'scope',
    title: 'Scope and reproducibility',
    blocks: [
      {
        kind: 'keyValues',
        rows: [
          { label: 'Report generated', value: when(x.generatedAt) },
          { label: 'WardEval version', value: x.appVersion },
          {
            label: 'Runs',
            value: lb.runIds ? lb.runIds.join(', ') : 'latest scored run of every model × benchmark',
          },
          { label: 'Category', value: category ?? 'all categories' },
          {
            label: 'Comparison',
            value: `${s.view}; ${s.resamples} bootstrap resamples, ${s.permutations} permutations`,
          },
          { label: 'Seed of the statistics', value: String(s.seed) },
          { label: 'Multiple comparisons', value: s.adjustName },
          { label: 'Calibration', value: lb.calibration?.label ?? 'none (raw jury scores)' },
          {
            label: 'Local model pricing',
            value:
              x.options.gpuHourUsd !== undefined
                ? `$${x.options.gpuHourUsd} per GPU-hour × measured generation time`
                : 'by tokens (no GPU-hour rate given)',
          },
        ],
      },
      x.manifests.length
        ? modelsTable(x.manifests)
        : { kind: 'paragraph', text: `No run manifest found ${dash} no run has results in this selection.` },
      ...(x.manifests.length ? [benchmarksTable(x.manifests), runsTable(x.manifests)] : []),
    ],
  }
}
