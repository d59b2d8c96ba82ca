import type { Command } from 'commander'
import type { JobProgress } from '../../../shared/api/app'
import {
  excludedJudgesText,
  type BenchmarkAgreement,
  type InstanceScores,
  type RunScoringReport,
  type ScorePassResult,
  type ScoringPasses,
  type ScoringSettings,
} from '../../../shared/api/jury'
import { instanceScores, runAgreement, runScoringReport } from '../../jury/run/report'
import { recordedScoreRun, scoringPasses } from '../../jury/run/passes'
import { readScoringSettings, writeScoringSettings } from '../../jury/run/settings'
import { table, usageError, type CliRuntime } from '../runtime'

/**
 * `score <runId>`: MedHELM's metrics, the embedding similarity and the LLM jury over a run
 * (resumable); `jury settings`, `jury agreement <runId>`, `jury votes <runItemId>` to configure
 * the jury and read what it said.
 */

const num = (x: number | null, digits = 3) => (x === null ? '-' : x.toFixed(digits))
const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`)

function positiveInt(value: string, what: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw usageError(`${what}: "${value}" is not a positive whole number`)
  return Number(value)
}

function keyList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function unscoredText(m: RunScoringReport['rows'][number]['metrics'][number]): string {
  if (m.unscored === 0 || !m.unscoredBy) return String(m.unscored)
  const parts = Object.entries(m.unscoredBy)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason.replace(/_/g, ' ')} ${n}`)
  return `${m.unscored} (${parts.join(', ')})`
}

function agreementTable(agreement: BenchmarkAgreement[]): string {
  if (agreement.length === 0) return 'No benchmark of this run is scored by the jury.'
  return table(
    [
      'benchmark',
      'judges',
      'votes',
      'failed',
      'failed share',
      'judge spread (mean range)',
      'mean |diff|',
      'exact agreement',
      'scored',
      'unscored',
    ],
    agreement.map((a) => [
      a.benchmarkId,
      a.agreement.judges.length,
      a.agreement.votes,
      a.agreement.failed,
      pct(a.agreement.failedShare),
      num(a.agreement.meanRange, 2),
      num(a.agreement.meanAbsDiff, 2),
      pct(a.agreement.exactAgreement),
      a.scored,
      a.unscored,
    ]),
  )
}

function judgesTable(agreement: BenchmarkAgreement[]): string {
  const rows = agreement.flatMap((a) =>
    a.agreement.judges.map((j) => [
      a.benchmarkId,
      j.judge,
      j.votes,
      j.failed,
      pct(j.failedShare),
      num(j.meanScore, 2),
    ]),
  )
  return rows.length === 0
    ? ''
    : table(['benchmark', 'judge', 'votes', 'failed', 'failed share', 'mean score'], rows)
}

export function reportText(r: RunScoringReport): string {
  const lines = [
    table(
      ['benchmark', 'model', 'metric', 'mean', 'normalized', 'ok', 'failed', 'unscored', 'not scored yet'],
      r.rows.flatMap((row) =>
        row.metrics.map((m) => [
          row.benchmarkId,
          row.modelKey,
          m.main ? `${m.metric} (main)` : m.metric,
          num(m.mean),
          num(m.normalized),
          m.ok,
          m.failed,
          unscoredText(m),
          m.missing,
        ]),
      ),
    ),
    '',
    'Judge agreement',
    agreementTable(r.agreement),
  ]
  const judges = judgesTable(r.agreement)
  if (judges) lines.push('', judges)
  return lines.join('\n')
}

function passText(p: ScorePassResult): string {
  const s = p.pass
  return [
    `Scored run ${p.runId}: ${s.items} completed items; ${s.judgeRequests} judge requests, ${s.votesWritten} votes and ${s.metricRowsWritten} metric results written; ${s.embeddingRequests} embedding requests.`,
    `Jury: ${s.judges.length ? s.judges.join(', ') : '(none)'}   Embedding model: ${s.embeddingModel ?? '(none)'}`,
    ...s.warnings.map((w) => `Warning: ${w}`),
    '',
    reportText(p),
  ].join('\n')
}

/** The jury settings' same-family exclusion, as stored with the item's jury score. */
function excludedLine(v: InstanceScores): string[] {
  const text = excludedJudgesText(v.metrics.find((m) => m.metric === 'jury')?.details)
  return text ? [`Jury score is the mean of the remaining judges; ${text}.`] : []
}

export function votesText(v: InstanceScores): string {
  const lines = [
    `Run item ${v.runItemId} (run ${v.runId}): ${v.benchmarkId} / ${v.instanceId}, model ${v.modelKey}`,
    `Jury: ${
      v.jury.state === 'scored'
        ? `${num(v.jury.mean, 2)} (normalized ${num(v.jury.normalized)}), ${v.jury.validVotes} valid and ${v.jury.failedVotes} failed votes`
        : v.jury.state === 'unscored'
          ? `UNSCORED (${v.jury.reason ?? 'no valid vote'}), ${v.jury.failedVotes} failed votes`
          : v.jury.state === 'no_jury'
            ? 'this benchmark has no jury metric'
            : 'not scored yet (run score)'
    }`,
    ...excludedLine(v),
    '',
    table(
      ['metric', 'value', 'status', 'detail'],
      v.metrics.map((m) => [
        m.metric,
        m.value === null ? '-' : m.value.toFixed(4),
        m.status,
        typeof m.details.message === 'string'
          ? m.details.message
          : typeof m.details.reason === 'string'
            ? m.details.reason
            : '',
      ]),
    ),
  ]
  if (v.votes.length) {
    lines.push(
      '',
      table(
        ['judge', 'criterion', 'score', 'status', 'attempts', 'explanation'],
        v.votes.map((x) => [
          x.judge,
          x.criterion,
          x.score ?? '-',
          x.status,
          x.attempts,
          (x.explanation ?? '').replace(/\s+/g, ' '),
        ]),
      ),
    )
    for (const f of v.votes.filter((x) => x.status === 'failed' && x.criterion === v.criteria[0]?.id))
      lines.push(
        '',
        `Raw answer of ${f.judge} (failed):`,
        f.rawText === null ? '(no answer: the request failed)' : f.rawText,
      )
  }
  return lines.join('\n')
}

function passesText(p: ScoringPasses): string {
  if (p.passes.length === 0) return 'This run has not been scored yet (score <runId>).'
  const lines = [
    table(
      ['pass', 'state', 'started', 'judges', 'outcome'],
      p.passes.map((x) => [x.id, x.state, x.startedAt, x.judges.join(', '), x.message ?? '']),
    ),
  ]
  if (p.failedVotes.length)
    lines.push(
      '',
      table(
        ['judge', 'failed votes', 'reason'],
        p.failedVotes.map((f) => [f.judge, f.votes, f.reason]),
      ),
    )
  return lines.join('\n')
}

interface JurySettingsOptions {
  judges?: string
  embeddingModel?: string
  clearEmbeddingModel?: boolean
  excludeSameFamily?: boolean
  includeSameFamily?: boolean
}

function changeJurySettings(ctx: Parameters<typeof readScoringSettings>[0], opts: JurySettingsOptions) {
  const settings = readScoringSettings(ctx)
  if (opts.embeddingModel !== undefined && opts.clearEmbeddingModel)
    throw usageError('--embedding-model and --clear-embedding-model exclude each other')
  if (opts.excludeSameFamily && opts.includeSameFamily)
    throw usageError('--exclude-same-family and --include-same-family exclude each other')
  const changes =
    opts.judges !== undefined ||
    opts.embeddingModel !== undefined ||
    opts.clearEmbeddingModel ||
    opts.excludeSameFamily ||
    opts.includeSameFamily
  if (!changes) return settings
  const judges = opts.judges !== undefined ? keyList(opts.judges) : settings.judges
  if (opts.judges !== undefined && judges.length === 0)
    throw usageError('--judges: name at least one judge model key')
  return writeScoringSettings(ctx, {
    judges,
    embeddingModel: opts.clearEmbeddingModel ? null : (opts.embeddingModel ?? settings.embeddingModel),
    excludeSameFamily: opts.excludeSameFamily
      ? true
      : opts.includeSameFamily
        ? false
        : settings.excludeSameFamily,
  })
}

function juryText(s: ScoringSettings): string {
  return [
    `Judges: ${s.judges.length ? s.judges.join(', ') : '(none — set with jury settings --judges a/b,c/d,e/f)'}`,
    `Embedding model: ${s.embeddingModel ?? '(none)'}`,
    `Same-family judges: ${
      s.excludeSameFamily
        ? "left out of an evaluated model's jury scores when of its family (the mean of the other judges)"
        : 'counted (change with --exclude-same-family)'
    }`,
  ].join('\n')
}

export function registerScoreCommands(program: Command, rt: CliRuntime): void {
  program
    .command('score <runId>')
    .description(
      "compute every metric of each benchmark's manifest for a run's completed items, with the LLM jury and embedding similarity; resumable (what is stored is not asked again)",
    )
    .option(
      '--judges <keys>',
      'judge model keys, comma-separated (<endpoint>/<model>,…); default: the jury settings',
    )
    .option(
      '--embedding-model <key>',
      'Ollama embedding model for the similarity metric (<endpoint>/<model>); default: the settings',
    )
    .option('--sql-db <file>', 'SQLite database for EHRSQL execution accuracy (opened read-only)')
    .option('--request-timeout <ms>', 'time limit per judge or embedding request (default: the endpoint’s)')
    .option('--save', 'store --judges and --embedding-model as the defaults')
    .action(
      async (
        runIdText: string,
        opts: {
          judges?: string
          embeddingModel?: string
          sqlDb?: string
          requestTimeout?: string
          save?: boolean
        },
        cmd: Command,
      ) => {
        const runId = positiveInt(runIdText, 'runId')
        const judges = opts.judges !== undefined ? keyList(opts.judges) : undefined
        if (judges && judges.length === 0) throw usageError('--judges: name at least one judge model key')
        const ctx = rt.context(cmd)
        if (opts.save) {
          const current = readScoringSettings(ctx)
          writeScoringSettings(ctx, {
            ...current,
            judges: judges ?? current.judges,
            embeddingModel: opts.embeddingModel ?? current.embeddingModel,
          })
        }
        const json = !!rt.globals(cmd).json
        const out = json ? rt.io.stderr : rt.io.stdout
        let lastPlain = 0
        let lastLine = ''
        const bar = rt.io.isTTY && !json
        const off = ctx.events.on((channel, payload) => {
          if (channel !== 'job:progress') return
          const p = payload as JobProgress
          if (p.kind !== 'score') return
          const line = `Scoring run ${runId}: ${p.done}/${p.total ?? '?'} items${p.state === 'running' ? '' : ` — ${p.state}`}${p.message?.startsWith('waiting: ') ? ` (${p.message})` : ''}`
          if (bar) {
            out(`\r${line.padEnd(lastLine.length)}`)
            lastLine = line
          } else if (p.state === 'running' && Date.now() - lastPlain >= 2000) {
            lastPlain = Date.now()
            out(line + '\n')
          }
        })
        const controller = new AbortController()
        const onSigint = () => controller.abort()
        process.once('SIGINT', onSigint)
        let result: ScorePassResult
        try {
          result = await recordedScoreRun(ctx, runId, {
            signal: controller.signal,
            ...(judges ? { judges } : {}),
            ...(opts.embeddingModel !== undefined ? { embeddingModel: opts.embeddingModel } : {}),
            ...(opts.sqlDb !== undefined ? { sqlDatabase: opts.sqlDb } : {}),
            ...(opts.requestTimeout !== undefined
              ? { requestTimeoutMs: positiveInt(opts.requestTimeout, '--request-timeout') }
              : {}),
          })
        } finally {
          process.removeListener('SIGINT', onSigint)
          off()
          if (bar && lastLine) out('\n')
        }
        rt.print(cmd, result, passText)
      },
    )

  const jury = program.command('jury').description('the LLM jury: its settings, its votes, judge agreement')

  jury
    .command('settings')
    .description('show or change the default judges and embedding model')
    .option('--judges <keys>', 'judge model keys, comma-separated (MedHELM uses 3)')
    .option('--embedding-model <key>', 'Ollama embedding model key for the similarity metric')
    .option(
      '--clear-embedding-model',
      'no embedding model (the similarity metric is recorded as unavailable)',
    )
    .option(
      '--exclude-same-family',
      "leave the judges of an evaluated model's own family out of its jury scores (self-preference guard)",
    )
    .option('--include-same-family', 'count every judge in every jury score (the default)')
    .action((opts: JurySettingsOptions, cmd: Command) => {
      const ctx = rt.context(cmd)
      const settings = changeJurySettings(ctx, opts)
      rt.print(cmd, settings, juryText)
    })

  jury
    .command('agreement <runId>')
    .description('per benchmark: spread between judges, share of failed votes, unscored instances')
    .action((runIdText: string, _opts, cmd: Command) => {
      const runId = positiveInt(runIdText, 'runId')
      const agreement = runAgreement(rt.context(cmd).db, runId)
      rt.print(cmd, agreement, (a) =>
        [agreementTable(a), judgesTable(a)].filter((s) => s !== '').join('\n\n'),
      )
    })

  jury
    .command('passes <runId>')
    .description(
      "the run's scoring passes (why the last one failed) and its failed votes by judge and reason",
    )
    .action((runIdText: string, _opts, cmd: Command) => {
      const passes = scoringPasses(rt.context(cmd).db, positiveInt(runIdText, 'runId'))
      rt.print(cmd, passes, passesText)
    })

  jury
    .command('report <runId>')
    .description('per benchmark × model: metric results and unscored counts, without scoring')
    .action((runIdText: string, _opts, cmd: Command) => {
      const report = runScoringReport(rt.context(cmd).db, positiveInt(runIdText, 'runId'))
      rt.print(cmd, report, reportText)
    })

  jury
    .command('votes <runItemId>')
    .description("one run item: each judge's scores and explanations next to the metric scores")
    .action((idText: string, _opts, cmd: Command) => {
      const v = instanceScores(rt.context(cmd).db, positiveInt(idText, 'runItemId'))
      rt.print(cmd, v, votesText)
    })
}
