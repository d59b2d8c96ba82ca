import type { Command } from 'commander'
import {
  durationText,
  groupText,
  RequestStatus,
  requestStatusText,
  type AuditRequestItem,
  type RequestPage,
} from '../../../shared/api/audit-requests'
import { purposeText } from '../../../shared/api/models'
import { formatBytes } from '../../../shared/format'
import { destinationOf, listRequests } from '../../audit/requests'
import { table, usageError, type CliRuntime } from '../runtime'

const HEADERS = ['seq', 'time', 'destination', 'purpose', 'model', 'sent', 'received', 'status', 'duration']

function cells(i: AuditRequestItem): string[] {
  if (i.type === 'group')
    return [
      `${i.fromSeq}–${i.toSeq}`,
      i.lastTs,
      destinationOf(i),
      groupText(i, destinationOf(i)),
      '',
      formatBytes(i.bytesSent),
      formatBytes(i.bytesReceived),
      i.status,
      '',
    ]
  return [
    String(i.seq),
    i.ts,
    destinationOf(i) || '—',
    i.kind === 'request' ? purposeText(i.purpose) : i.kind,
    i.model ?? i.endpoint ?? '',
    formatBytes(i.bytesSent),
    formatBytes(i.bytesReceived),
    requestStatusText(i),
    durationText(i.durationMs),
  ]
}

function pageText(p: RequestPage): string {
  const shown = p.items.length < p.total ? `${p.items.length} of ${p.total} rows` : `${p.total} rows`
  return [
    table(HEADERS, p.items.map(cells)),
    `${shown} (${p.requests} requests and events; intent and outcome rows joined${p.items.some((i) => i.type === 'group') ? ', repeated status checks grouped — --no-group lists each' : ''})`,
  ].join('\n')
}

interface Opts {
  since?: string
  until?: string
  kind?: string
  host?: string
  purpose?: string
  status?: string
  group: boolean
  limit: string
  offset: string
}

function positive(name: string, v: string, min: number): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < min) throw usageError(`--${name}: "${v}" is not an integer ≥ ${min}`)
  return n
}

/** `audit requests`: the Privacy & Audit screen's one-row-per-request view. */
export function registerAuditRequests(audit: Command, rt: CliRuntime): void {
  audit
    .command('requests')
    .description(
      'one row per request (intent and outcome joined): destination, purpose, model, bytes, status, duration; status checks grouped',
    )
    .option('--since <time>', 'from this time: ISO-8601, a date, or an age such as 24h or 7d')
    .option('--until <time>', 'before this time')
    .option('--kind <kind>', 'request, refusal, approval or policy')
    .option('--host <host>', 'only this destination host')
    .option('--purpose <kind>', 'run, judge, embedding, model_listing, status_check or audit_forward')
    .option('--status <status>', `one of ${RequestStatus.options.join(', ')}`)
    .option('--no-group', 'list every status check on its own row')
    .option('--limit <n>', 'at most this many rows (default 1000)', '1000')
    .option('--offset <n>', 'skip this many rows first', '0')
    .action((opts: Opts, cmd: Command) => {
      if (opts.kind && !['request', 'refusal', 'approval', 'policy'].includes(opts.kind))
        throw usageError(`--kind: "${opts.kind}" is not request, refusal, approval or policy`)
      const status = opts.status === undefined ? undefined : RequestStatus.safeParse(opts.status)
      if (status && !status.success)
        throw usageError(`--status: "${opts.status}" is not one of ${RequestStatus.options.join(', ')}`)
      const ctx = rt.context(cmd)
      const page = listRequests(ctx.db, {
        since: opts.since,
        until: opts.until,
        kind: opts.kind as 'request' | undefined,
        host: opts.host,
        purposeKind: opts.purpose,
        status: status?.data,
        groupChecks: opts.group,
        limit: positive('limit', opts.limit, 1),
        offset: positive('offset', opts.offset, 0),
      })
      rt.print(cmd, page, pageText)
    })
}
