import type { AnchorReason } from '../../shared/api/audit'
import type { AppContext } from '../app/context'
import { anchorsOf, onAnchorWritten, writeAnchor } from './anchors'

/**
 * Writes anchors when they are due and forwards them: after every run (its final progress event)
 * and every scoring pass (its final job event), and — in the app — at least daily while it runs.
 * Delivery to the log collector happens in the background; in the app a failed delivery is retried
 * later, the CLI waits for its deliveries before it exits (settle). Nothing here ever fails an
 * evaluation: problems go to onError.
 */

export const DAY_MS = 86_400_000
const TICK_MS = 60_000

export interface AnchoringOptions {
  /** The app: anchor at start when the last anchor is a day old, then daily; retry failed deliveries. */
  background?: boolean
  onError?: (message: string) => void
}

export interface Anchoring {
  /** Resolves when the deliveries started so far have ended (the CLI awaits it before exiting). */
  settle(): Promise<void>
  stop(): void
}

export function startAnchoring(ctx: AppContext, options: AnchoringOptions = {}): Anchoring {
  const report = options.onError ?? (() => {})
  const pending = new Set<Promise<unknown>>()
  const track = (p: Promise<unknown>) => {
    pending.add(p)
    void p.finally(() => pending.delete(p))
  }
  const anchor = (reason: AnchorReason, runId: number | null = null) => {
    if (!ctx.dataDir) return
    try {
      writeAnchor(ctx, { reason, runId })
    } catch (e) {
      report(`No ${reason} anchor was written: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  let stopped = false
  // The forwarder (with its zod settings schema) is loaded when there may be something to deliver.
  const deliver = async () => {
    const { deliverPending, forwardConfig } = await import('./forward')
    if (stopped || !forwardConfig(ctx.db)) return
    track(
      deliverPending(ctx).then(
        (s) => {
          if (s.lastError && s.nextAttemptAt)
            report(`Audit forwarding failed (queued, retried later): ${s.lastError}`)
        },
        (e: unknown) => report(`Audit forwarding failed: ${e instanceof Error ? e.message : String(e)}`),
      ),
    )
  }
  const offEvents = ctx.events.on((channel, payload) => {
    if (channel === 'runs:progress') {
      const p = payload as { runId: number; status: string }
      if (p.status !== 'running' && p.status !== 'pending') anchor('run', p.runId)
    } else if (channel === 'job:progress') {
      const p = payload as { kind: string; state: string }
      if (p.kind === 'score' && p.state !== 'running') anchor('scoring')
    }
  })
  // Delivered once the anchor's caller has finished its turn (settle waits for it).
  const offAnchors = onAnchorWritten(ctx.db, () => track(new Promise((r) => setImmediate(r)).then(deliver)))
  const timers: NodeJS.Timeout[] = []
  if (options.background) {
    const tick = () => {
      if (anchorDue(ctx)) anchor('daily')
      track(import('./forward').then(({ deliveryDue }) => (deliveryDue(ctx) ? deliver() : undefined)))
    }
    if (anchorDue(ctx)) anchor('startup')
    timers.push(setInterval(tick, TICK_MS))
    for (const t of timers) t.unref()
    track(new Promise((r) => setImmediate(r)).then(deliver))
  }
  return {
    settle: async () => {
      while (pending.size) await Promise.allSettled([...pending])
    },
    stop: () => {
      stopped = true
      offEvents()
      offAnchors()
      for (const t of timers) clearInterval(t)
    },
  }
}

/** Is the newest anchor of this database older than a day (and the log not empty)? */
export function anchorDue(ctx: Pick<AppContext, 'db' | 'dbPath' | 'dataDir'>, now = Date.now()): boolean {
  if (!ctx.dataDir) return false
  if (ctx.db.prepare('SELECT 1 FROM audit_log LIMIT 1').get() === undefined) return false
  const last = anchorsOf(ctx).reduce((m, x) => Math.max(m, Date.parse(x.anchor.at) || 0), 0)
  return now - last >= DAY_MS
}
