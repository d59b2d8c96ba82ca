import { parentPort, workerData } from 'node:worker_threads'
// First: the jsdom globals, before React and recharts load (imports run in this order).
import './charts/dom-env'
import type { ChartJob, ChartWorkerReply } from './charts/jobs'
import { renderJobs } from './charts/render'

/**
 * The report's chart worker (./charts.ts): a jsdom environment of its own, so the main process
 * never gets browser globals; draws the jobs with the app's chart components and replies once.
 */
const port = parentPort!
const reply = (r: ChartWorkerReply) => port.postMessage(r)
renderJobs(workerData as ChartJob[]).then(
  (svgs) => reply({ ok: true, svgs }),
  (e: unknown) => reply({ ok: false, message: e instanceof Error ? e.message : String(e) }),
)
