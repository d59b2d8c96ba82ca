import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Leaderboard } from '../../shared/api/leaderboard'
import type { AuditSummary } from '../../shared/api/models'
import type { ReviewAgreement } from '../../shared/api/review'
import { auditChartHeight } from '../../shared/charts/audit-data'
import {
  agreementChartText,
  auditChartText,
  costChartText,
  type ChartText,
} from '../../shared/charts/captions'
import { costPoints } from '../../shared/charts/cost-points'
import { startWorker } from '../app/workers'
import type { ChartJob, ChartWorkerReply } from './charts/jobs'
import type { ChartBlock } from './doc'

/** The same objects the app's screens receive from their handlers. */
export interface ReportChartInput {
  leaderboard: Leaderboard
  audit: AuditSummary
  agreements: ReviewAgreement[]
}

/** Charts for the report, drawn by the app's own chart components (one source of charts). */
export interface ReportCharts {
  costPerformance: ChartBlock | null
  runtime: ChartBlock | null
  agreement: ChartBlock[]
  auditVolume: ChartBlock | null
}

export interface ReportChartOptions {
  /** The chart worker's script (AppContext.workers.charts); found beside this code when absent. */
  script?: string
}

/** The report's page width in CSS px (A4 text width at 96 dpi, less a little). */
export const REPORT_CHART_WIDTH = 680

type Slot = { key: 'costPerformance' | 'runtime' | 'auditVolume' } | { key: 'agreement' }

function plan(input: ReportChartInput): { slot: Slot; job: ChartJob; text: ChartText }[] {
  const w = REPORT_CHART_WIDTH
  const out: { slot: Slot; job: ChartJob; text: ChartText }[] = []
  const add = (slot: Slot, job: Omit<ChartJob, 'title' | 'alt'>, text: ChartText) =>
    out.push({ slot, job: { ...job, title: text.title, alt: text.alt } as ChartJob, text })
  const lb = input.leaderboard
  if (costPoints(lb, 'cost').points.length > 0)
    add(
      { key: 'costPerformance' },
      { kind: 'cost', data: lb, width: w, height: 420, idPrefix: 'wec-cost' },
      costChartText(lb, 'cost'),
    )
  if (costPoints(lb, 'runtime').points.length > 0)
    add(
      { key: 'runtime' },
      { kind: 'runtime', data: lb, width: w, height: 400, idPrefix: 'wec-runtime' },
      costChartText(lb, 'runtime'),
    )
  for (const a of input.agreements)
    if (a.points.length > 0)
      add(
        { key: 'agreement' },
        { kind: 'agreement', data: a, width: 520, height: 440, idPrefix: `wec-agreement-${a.setId}` },
        agreementChartText(a),
      )
  if (input.audit.destinations.length > 0)
    add(
      { key: 'auditVolume' },
      {
        kind: 'audit',
        data: input.audit,
        width: w,
        height: auditChartHeight(input.audit, w),
        idPrefix: 'wec-audit',
      },
      auditChartText(input.audit),
    )
  return out
}

/** Where the chart worker is: built beside this bundle (or its chunk), else the TypeScript source. */
export function chartWorkerScript(dir: string = __dirname): string {
  const candidates = [
    join(dir, 'chart-worker.js'),
    join(dir, '..', 'chart-worker.js'),
    join(dir, 'chart-worker.ts'),
  ]
  const found = candidates.find((c) => existsSync(c))
  if (!found) throw new Error(`the report's chart worker is missing (looked for ${candidates.join(', ')})`)
  return found
}

function drawInWorker(script: string, jobs: ChartJob[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const w = startWorker(script, { workerData: jobs })
    let settled = false
    w.once('message', (m: ChartWorkerReply) => {
      settled = true
      void w.terminate()
      if (m.ok) resolve(m.svgs)
      else reject(new Error(`drawing the report's charts failed: ${m.message}`))
    })
    w.once('error', (e) => {
      settled = true
      reject(e)
    })
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`the report's chart worker stopped with code ${code}`))
    })
  })
}

/**
 * The report's charts: the app's own chart components (src/shared/charts) drawn to self-contained
 * SVG in a worker thread with a jsdom of its own, from the same objects the screens get.
 */
export async function reportCharts(
  input: ReportChartInput,
  options: ReportChartOptions = {},
): Promise<ReportCharts> {
  const planned = plan(input)
  const out: ReportCharts = { costPerformance: null, runtime: null, agreement: [], auditVolume: null }
  if (planned.length === 0) return out
  const svgs = await drawInWorker(
    options.script ?? chartWorkerScript(),
    planned.map((p) => p.job),
  )
  planned.forEach(({ slot, job, text }, i) => {
    const block: ChartBlock = { kind: 'chart', ...text, svg: svgs[i]!, width: job.width, height: job.height }
    if (slot.key === 'agreement') out.agreement.push(block)
    else out[slot.key] = block
  })
  return out
}
