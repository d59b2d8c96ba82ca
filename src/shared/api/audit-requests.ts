import { z } from 'zod'
import { AuditEntry, AuditKind } from './models'

// The audit log as a privacy officer reads it: one row per request (the write-ahead intent row and
// its outcome row joined), refusals and policy events as they are, and repeated status checks
// grouped. The joining and grouping happen in main (src/main/audit/requests.ts).

/**
 * ok / failed: the outcome row says so. unfinished: an intent with no outcome row (the app closed
 * or crashed before the reply). in_flight: this process is sending it now. refused: the egress
 * guard blocked it. recorded: an approval or policy event (no request).
 */
export const RequestStatus = z.enum(['ok', 'failed', 'unfinished', 'in_flight', 'refused', 'recorded'])
export type RequestStatus = z.infer<typeof RequestStatus>

export const AuditRequest = AuditEntry.pick({
  seq: true,
  ts: true,
  kind: true,
  actor: true,
  endpoint: true,
  host: true,
  port: true,
  address: true,
  purpose: true,
  purposeKind: true,
  bytesSent: true,
  bytesReceived: true,
  outcome: true,
  detail: true,
}).extend({
  // seq is the intent row (or the single row of a refusal, an event, or a request logged in one row).
  type: z.literal('request'),
  /** The outcome row that completes the intent; null for single rows and unfinished intents. */
  outcomeSeq: z.number().int().nullable(),
  /** The model asked (run, embedding), the judge (jury); null for status checks and events. */
  model: z.string().nullable(),
  // bytes, outcome and detail are the outcome row's (an unfinished intent's: what it was about to send)
  status: RequestStatus,
  /** From the intent row to its outcome row; null without both. */
  durationMs: z.number().nullable(),
})
export type AuditRequest = z.infer<typeof AuditRequest>

/** Consecutive status checks (or model listings) to one destination with one status. */
export const AuditRequestGroup = z.object({
  type: z.literal('group'),
  purposeKind: z.string(),
  host: z.string(),
  port: z.number().int().nullable(),
  endpoint: z.string().nullable(),
  status: RequestStatus,
  count: z.number().int(),
  firstTs: z.string(),
  lastTs: z.string(),
  /** The seq range of the group's rows: pass as fromSeq/toSeq (with groupChecks false) to expand it. */
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  bytesSent: z.number().int(),
  bytesReceived: z.number().int(),
})
export type AuditRequestGroup = z.infer<typeof AuditRequestGroup>

export const AuditRequestItem = z.discriminatedUnion('type', [AuditRequest, AuditRequestGroup])
export type AuditRequestItem = z.infer<typeof AuditRequestItem>

export const RequestFilter = z.object({
  since: z.string().optional(),
  until: z.string().optional(),
  kind: AuditKind.optional(),
  host: z.string().optional(),
  purposeKind: z.string().optional(),
  status: RequestStatus.optional(),
  fromSeq: z.number().int().optional(),
  toSeq: z.number().int().optional(),
  /** Group repeated status checks and model listings (default true). */
  groupChecks: z.boolean().default(true),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100_000).default(1_000),
})
export type RequestFilter = z.input<typeof RequestFilter>

const Counts = z.record(z.string(), z.number().int())

export const RequestPage = z.object({
  items: z.array(AuditRequestItem),
  /** Items (rows and groups) matching the filter; items holds offset … offset+limit of them. */
  total: z.number().int(),
  offset: z.number().int(),
  /** Requests (not groups) matching the filter. */
  requests: z.number().int(),
  /** Requests in the period per purpose kind, status and destination (host:port): for filter chips. */
  facets: z.object({ purposeKind: Counts, status: Counts, destination: Counts }),
})
export type RequestPage = z.infer<typeof RequestPage>

export const auditRequestsContract = {
  /** One row per request, newest first, status checks grouped; paged. */
  'audit:requests': { input: RequestFilter, output: RequestPage },
} as const

/** The flag an intent without an outcome row carries, on the screen and in the CLI. */
export const UNFINISHED_TEXT = 'no outcome recorded (app closed or crashed?)'

/** How a request ended, in words. */
export function requestStatusText(r: Pick<AuditRequest, 'status' | 'outcome'>): string {
  switch (r.status) {
    case 'unfinished':
      return UNFINISHED_TEXT
    case 'in_flight':
      return 'in flight'
    case 'failed':
      return `failed (${r.outcome.replace(/_/g, ' ')})`
    case 'refused':
      return 'refused by the egress policy'
    case 'recorded':
      return r.outcome.replace(/_/g, ' ')
    default:
      return 'ok'
  }
}

export function durationText(ms: number | null): string {
  if (ms === null) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

const CHECK_NOUNS: Readonly<Record<string, [string, string]>> = {
  status_check: ['status check', 'status checks'],
  model_listing: ['model listing', 'model listings'],
}

/** "1,773 status checks to 127.0.0.1:11434 between 08:00:01 and 11:42:13" (failed ones say so). */
export function groupText(
  g: AuditRequestGroup,
  dest: string,
  time: (iso: string) => string = (t) => t,
): string {
  const [one, many] = CHECK_NOUNS[g.purposeKind] ?? [g.purposeKind, g.purposeKind]
  const status = g.status === 'ok' ? '' : g.status === 'failed' ? 'failed ' : `${g.status.replace('_', ' ')} `
  return `${g.count.toLocaleString('en-US')} ${status}${g.count === 1 ? one : many} to ${dest} between ${time(g.firstTs)} and ${time(g.lastTs)}`
}
