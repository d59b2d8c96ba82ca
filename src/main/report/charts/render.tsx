/** @jsxRuntime automatic */
// (The pragma: tsx runs this from source in the report's chart worker and reads no jsx option.)
import { act, type ReactElement } from 'react'
import { createRoot } from 'react-dom/client'
import { AgreementChart, AuditVolumeChart, CostPerformanceChart } from '../../../shared/charts'
import { CHART_FONT } from '../../../shared/charts/theme'
import type { ChartJob } from './jobs'
import { documentSvg } from './sanitize'

/**
 * Draws each job with the app's own chart component (static: no tooltip, no animation) into a
 * jsdom container, and returns its sanitized <svg>. Runs in the chart worker (./dom-env.ts).
 */

function element(job: ChartJob): ReactElement {
  const size = { width: job.width, height: job.height, static: true }
  switch (job.kind) {
    case 'cost':
    case 'runtime':
      return <CostPerformanceChart data={job.data} axis={job.kind} {...size} />
    case 'audit':
      return <AuditVolumeChart data={job.data} {...size} />
    case 'agreement':
      return <AgreementChart data={job.data} {...size} />
  }
}

async function renderOne(job: ChartJob): Promise<string> {
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  try {
    await act(async () => root.render(element(job)))
    const svg = container.querySelector('svg')
    if (!svg) throw new Error(`the ${job.kind} chart drew nothing`)
    return documentSvg(svg, { ...job, fontFamily: CHART_FONT })
  } finally {
    await act(async () => root.unmount())
    container.remove()
  }
}

export async function renderJobs(jobs: readonly ChartJob[]): Promise<string[]> {
  const out: string[] = []
  for (const job of jobs) out.push(await renderOne(job))
  return out
}
