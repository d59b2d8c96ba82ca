import type { Command } from 'commander'
import type { RunDetail, RunProgress, RunStatus, RunSummary } from '../../../shared/api/runs'
import { CreateRunInput, RunSettings } from '../../../shared/api/runs'
import type { AppContext } from '../../app/context'
import { AppError } from '../../errors'
import type { RunExecution } from '../../runs/engine'
import { isActive } from '../../runs/executions'
import { listRuns, runDetail, runSummary } from '../../runs/store'
import { failureKindsText, requestsText } from '../../../shared/runs/requests-text'
import { table, usageError, type CliRuntime } from '../runtime'

/**
 * What starts, resumes and stops runs: the engine and everything it sends requests with, loaded by
 * the commands that need it, not by `runs` or `run show` (which only read).
 */
const control = () => import('../../runs/control')

function positiveInt(flag: string, raw: string | undefined, min = 1): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min)
    throw usageError(`${flag}: "${raw}" is not a whole number ≥ ${min}`)
  return Number(raw)
}

function runId(raw: string): number {
  const id = positiveInt('<id>', raw)
  if (id === undefined) throw usageError('<id>: give the run id (see `runs`)')
  return id
}

function list(raw: string | undefined, flag: string): string[] {
  const items = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (items.length === 0) throw usageError(`${flag}: name at least one (comma-separated)`)
  return items
}

function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/** One line of progress: a bar on a terminal, plain words otherwise. */
export function progressLine(p: RunProgress, bar: boolean): string {
  const finished = p.counts.done + p.counts.failed
  const pct = p.counts.total === 0 ? 100 : (finished / p.counts.total) * 100
  const facts = [
    `${finished.toLocaleString('en-US')}/${p.counts.total.toLocaleString('en-US')}`,
    ...(p.counts.failed ? [`${p.counts.failed} failed`] : []),
    ...(p.counts.cached ? [`${p.counts.cached} cached`] : []),
    `${p.rate.toFixed(p.rate >= 10 ? 0 : 1)}/s`,
    `ETA ${duration(p.etaSeconds)}`,
    ...(p.waitingFor ? [p.waitingFor] : []),
  ]
  if (!bar) return `run ${p.runId}: ${pct.toFixed(0)}% ${facts.join(', ')}`
  const width = 28
  const filled = Math.round((pct / 100) * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}% ${facts.join(' · ')}`
}

function summaryText(s: RunSummary): string {
  const c = s.counts
  return `Run ${s.id} ${s.status}${s.interrupted ? ' (interrupted)' : ''}: ${c.done}/${c.total} done, ${c.failed} failed, ${c.cached} from cache\n${requestsText(s.requests)}${s.error ? `\n${s.error}` : ''}`
}

/**
 * Runs an execution in the foreground: progress to the terminal (a bar on a TTY, a line every
 * 2 s otherwise), Ctrl+C pauses (resume later with `run resume <id>`). A failed run is an error.
 */
async function foreground(
  rt: CliRuntime,
  cmd: Command,
  ctx: AppContext,
  start: () => Promise<{ runId: number; execution: RunExecution }>,
): Promise<void> {
  const json = !!rt.globals(cmd).json
  const bar = rt.io.isTTY && !json
  const out = json ? rt.io.stderr : rt.io.stdout
  let lastPlain = 0
  let lastLine = ''
  // Subscribed before the run starts, so its first progress event is not missed; until the id is
  // known, the only run this process executes is the one being started.
  const following: { id: number | undefined } = { id: undefined }
  const early: { progress: RunProgress | null } = { progress: null }
  const render = (p: RunProgress) => {
    if (bar) {
      const line = progressLine(p, true)
      out(`\r${line.padEnd(lastLine.length)}`)
      lastLine = line
    } else if (p.status !== 'running' || Date.now() - lastPlain >= 2000) {
      lastPlain = Date.now()
      out(progressLine(p, false) + '\n')
    }
  }
  const off = ctx.events.on((channel, payload) => {
    if (channel !== 'runs:progress') return
    const p = payload as RunProgress
    if (following.id === undefined) early.progress = p
    else if (p.runId === following.id) render(p)
  })
  let started: { runId: number; execution: RunExecution }
  try {
    started = await start()
  } catch (e) {
    off()
    throw e
  }
  const id = started.runId
  following.id = id
  if (early.progress?.runId === id) render(early.progress)
  const { execution } = started
  const onSigint = () => execution.pause()
  process.once('SIGINT', onSigint)
  let status: RunStatus
  try {
    status = await execution.done
  } finally {
    process.removeListener('SIGINT', onSigint)
    off()
    if (bar && lastLine) out('\n')
  }
  const summary = runSummary(ctx.db, id, isActive(ctx.db))
  rt.print(cmd, summary, (s) =>
    s.status === 'paused' ? `${summaryText(s)}\nResume with: run resume ${s.id}` : summaryText(s),
  )
  if (status === 'failed')
    throw new AppError('unavailable', `Run ${id} failed: ${summary.error ?? 'see `run show ' + id + '`'}`)
}

function detailText(d: RunDetail): string {
  const lines = [
    summaryText(d),
    `Name: ${d.name || '(none)'}   Seed: ${d.seed}   Created: ${d.createdAt}   Started: ${d.startedAt ?? '-'}   Finished: ${d.finishedAt ?? '-'}`,
    `Settings: limit ${d.settings.limit ?? 'all'}, concurrency ${d.settings.concurrency ?? 'per endpoint'}, ${d.settings.maxAttempts} attempts, timeout ${d.settings.timeoutMs ?? 'per endpoint'} ms, cache ${d.settings.useCache ? 'on' : 'off'}`,
    '',
    table(
      ['benchmark', 'model', 'done', 'failed', 'total', 'main metric', 'mean'],
      d.groups.map((g) => [
        g.benchmarkId,
        g.modelKey,
        g.done,
        g.failed,
        g.total,
        g.mainMetric ?? '-',
        g.mainMean === null ? '-' : g.mainMean.toFixed(3),
      ]),
    ),
  ]
  if (d.errors.length) lines.push('', 'Errors:', ...d.errors.map((e) => `  ${e.count}× ${e.message}`))
  if (d.failedRequests.length)
    lines.push(
      '',
      'Failed requests (retried or given up):',
      table(
        ['endpoint', 'model', 'kind', 'count'],
        d.failedRequests.map((f) => [f.endpoint, f.modelKey, f.kind, f.count]),
      ),
    )
  if (d.manifest) {
    const m = d.manifest
    lines.push(
      '',
      `Manifest (${m.format}): ${m.app.name} ${m.app.version}, schema ${m.app.schemaVersion}`,
      ...m.models.map(
        (x) => `  model ${x.key} (pool ${x.pool}) at ${x.baseUrl}, digest ${x.digest ?? 'unknown'}`,
      ),
      ...m.benchmarks.map(
        (b) =>
          `  benchmark ${b.id} ${b.version}: ${b.sampled}/${b.instanceCount} instances, content ${b.contentHash.slice(0, 12)}…, prompt ${b.promptTemplateHash.slice(0, 12)}…`,
      ),
      `  requests sent: ${m.counts.requestsSent} (${m.counts.requestsFailed} failed${m.counts.failedByKind.length ? `: ${failureKindsText(m.counts.failedByKind)}` : ''})`,
    )
  }
  return lines.join('\n')
}

export function registerRunsCommands(program: Command, rt: CliRuntime): void {
  const run = program
    .command('run')
    .description(
      'evaluate models on benchmarks (runs in the foreground; Ctrl+C pauses). Subcommands: resume, show, pause, cancel, manifest',
    )
    .option('--benchmark <ids>', 'benchmark ids, comma-separated')
    .option(
      '--model <keys>',
      'models as <endpoint>/<model>, comma-separated; join one model on several endpoints with + to pool them',
    )
    .option('--limit <n>', 'instances per benchmark, sampled with the seed (default: all)')
    .option('--seed <s>', 'sampling seed (default 0)')
    .option('--concurrency <n>', 'requests in flight per endpoint (default: the endpoint setting, 4)')
    .option('--attempts <n>', 'tries per instance for transient failures (default 4)')
    .option('--timeout <ms>', 'per-request time limit in ms (default: the endpoint setting)')
    .option('--temperature <t>', "override the benchmarks' temperature (default: theirs, 0)")
    .option('--max-tokens <n>', "override the benchmarks' maximum answer length")
    .option('--no-cache', 'send every request even when the response cache has the answer')
    .option('--name <text>', 'a name for the run')
    .action(async (opts: Record<string, string | boolean | undefined>, cmd: Command) => {
      if (cmd.args.length > 0)
        throw usageError(`unknown run subcommand "${cmd.args[0]}" (resume, show, pause, cancel, manifest)`)
      const benchmarks = list(opts.benchmark as string | undefined, '--benchmark')
      const models = list(opts.model as string | undefined, '--model')
      const temperature = opts.temperature === undefined ? undefined : Number(opts.temperature)
      if (temperature !== undefined && !(temperature >= 0 && temperature <= 2))
        throw usageError(`--temperature: "${String(opts.temperature)}" is not between 0 and 2`)
      const maxTokens = positiveInt('--max-tokens', opts.maxTokens as string | undefined)
      const settings = RunSettings.parse({
        limit: positiveInt('--limit', opts.limit as string | undefined) ?? null,
        concurrency: positiveInt('--concurrency', opts.concurrency as string | undefined) ?? null,
        maxAttempts: positiveInt('--attempts', opts.attempts as string | undefined) ?? 4,
        timeoutMs: positiveInt('--timeout', opts.timeout as string | undefined, 100) ?? null,
        useCache: opts.cache !== false,
        generation: {
          ...(temperature !== undefined ? { temperature } : {}),
          ...(maxTokens !== undefined ? { maxTokens } : {}),
        },
      })
      const input = CreateRunInput.parse({
        name: (opts.name as string | undefined) ?? '',
        benchmarks,
        models,
        seed: positiveInt('--seed', opts.seed as string | undefined, 0) ?? 0,
        settings,
      })
      const ctx = rt.context(cmd)
      const json = !!rt.globals(cmd).json
      await foreground(rt, cmd, ctx, async () => {
        const { startNewRun } = await control()
        const started = await startNewRun(ctx, input)
        const total = runSummary(ctx.db, started.runId, isActive(ctx.db)).counts.total
        ;(json ? rt.io.stderr : rt.io.stdout)(
          `Run ${started.runId} started: ${total.toLocaleString('en-US')} items (${benchmarks.join(', ')} × ${models.join(', ')})\n`,
        )
        return started
      })
    })

  run
    .command('resume <id>')
    .description('continue a paused, failed or interrupted run (failed items are tried again)')
    .action(async (raw: string, _opts, cmd: Command) => {
      const id = runId(raw)
      const ctx = rt.context(cmd)
      await foreground(rt, cmd, ctx, async () => {
        const { resumeRun } = await control()
        const execution = resumeRun(ctx, id)
        const s = runSummary(ctx.db, id, isActive(ctx.db))
        ;(rt.globals(cmd).json ? rt.io.stderr : rt.io.stdout)(
          `Run ${id} resumed: ${s.counts.pending.toLocaleString('en-US')} of ${s.counts.total.toLocaleString('en-US')} items left\n`,
        )
        return { runId: id, execution }
      })
    })

  run
    .command('show <id>')
    .description('status, counts, errors and manifest of a run')
    .action((raw: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      rt.print(cmd, runDetail(ctx.db, runId(raw), isActive(ctx.db)), detailText)
    })

  run
    .command('pause <id>')
    .description('pause a run (in this or another WardEval process); resume it with `run resume <id>`')
    .action(async (raw: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      const { stopRun } = await control()
      rt.print(cmd, await stopRun(ctx, runId(raw), 'pause'), summaryText)
    })

  run
    .command('cancel <id>')
    .description('cancel a run for good (in this or another WardEval process)')
    .action(async (raw: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      const { stopRun } = await control()
      rt.print(cmd, await stopRun(ctx, runId(raw), 'cancel'), summaryText)
    })

  run
    .command('manifest <id>')
    .description(
      'write the reproducibility manifest of a run as JSON, signed by the installation key (<file>.sig)',
    )
    .option(
      '--out <file>',
      'where to write it (default: exports/run-<id>-manifest.json next to the database)',
    )
    .action(async (raw: string, opts: { out?: string }, cmd: Command) => {
      const ctx = rt.context(cmd)
      const id = runId(raw)
      const { defaultManifestFile, exportManifest } = await import('../../runs/handlers')
      rt.print(
        cmd,
        exportManifest(ctx, id, opts.out ?? defaultManifestFile(ctx.dataDir, id)),
        (r) => `Wrote ${r.file}\nSigned by ${r.fingerprint}: ${r.signature} (check with: verify ${r.file})`,
      )
    })

  program
    .command('runs')
    .description('every run, newest first')
    .action((_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      rt.print(cmd, listRuns(ctx.db, isActive(ctx.db)), (l) =>
        l.length === 0
          ? 'No runs yet. Start one with: run --benchmark <id> --model <endpoint>/<model>'
          : table(
              ['id', 'status', 'name', 'benchmarks', 'models', 'done', 'failed', 'total', 'created'],
              l.map((s) => [
                s.id,
                s.status + (s.interrupted ? ' (interrupted)' : ''),
                s.name,
                s.benchmarks.join(','),
                s.models.join(','),
                s.counts.done,
                s.counts.failed,
                s.counts.total,
                s.createdAt,
              ]),
            ),
      )
    })
}
