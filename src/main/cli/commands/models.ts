import type { Command } from 'commander'
import { formatBytes } from '../../../shared/format'
import {
  EndpointKind,
  purposeText,
  type Approval,
  type AuditEntry,
  type Endpoint,
  type EndpointWithStatus,
} from '../../../shared/api/models'
import { defaultExportFile, exportAuditCsv } from '../../audit/export'
import { listAudit, listUnfinished } from '../../audit/query'
import { approveHost, egressGuard, reapproveHost } from '../../egress'
import { formatHostPort } from '../../egress/address'
import { listApprovals, POLICY_DESCRIPTION, revokeApproval } from '../../egress/policy'
import { AppError } from '../../errors'
import { endpointsWithStatus, listModels } from '../../models/catalog'
import { resolveAndAddEndpoint, getEndpoint, removeEndpoint } from '../../models/endpoints'
import { table, usageError, type CliRuntime } from '../runtime'

function approvalText(e: Endpoint): string {
  if (e.loopback) return 'loopback'
  if (e.approval) return `approved by ${e.approval.approvedBy}`
  return 'NOT APPROVED (refused)'
}

function reach(e: EndpointWithStatus): string {
  if (e.status.reachable) return e.status.version ? `up (${e.status.version})` : 'up'
  return `down: ${e.status.error ?? 'unknown'}`
}

export function registerModelsCommands(program: Command, rt: CliRuntime): void {
  const endpoints = program
    .command('endpoints')
    .description('model servers: local Ollama and approved OpenAI-compatible servers')

  endpoints
    .command('add <name> <url>')
    .description('add a model server; anything but this machine also needs --approve --reason')
    .requiredOption('--kind <kind>', 'ollama or openai (vLLM, TGI, llama.cpp server, LM Studio)')
    .option('--approve', 'approve the destination (host and port) now, as the current OS user')
    .option('--reason <text>', 'why this destination may receive data (required with --approve)')
    .action(
      async (
        name: string,
        url: string,
        opts: { kind: string; approve?: boolean; reason?: string },
        cmd: Command,
      ) => {
        const kind = EndpointKind.safeParse(opts.kind)
        if (!kind.success) throw usageError(`--kind: "${opts.kind}" is not ollama or openai`)
        if (opts.approve && !opts.reason?.trim())
          throw usageError('--approve needs --reason "<why this destination may receive data>"')
        if (!opts.approve && opts.reason) throw usageError('--reason is only used with --approve')
        const ctx = rt.context(cmd)
        const actor = egressGuard(ctx).actor
        const { endpoint, approvedNow } = await resolveAndAddEndpoint(
          ctx,
          { name, url, kind: kind.data, approveReason: opts.approve ? opts.reason : undefined },
          actor,
        )
        rt.print(cmd, endpoint, (e) => {
          const lines = [`Added endpoint ${e.name} (${e.kind}) at ${e.baseUrl}.`]
          if (e.loopback) lines.push('Loopback destination: allowed by the default policy.')
          else if (approvedNow && e.approval)
            lines.push(
              `Approved ${formatHostPort(e.host, e.port)} by ${e.approval.approvedBy} at ${e.approval.approvedAt}: ${e.approval.reason}`,
            )
          else if (e.approval)
            lines.push(`Already approved (approval ${e.approval.id} by ${e.approval.approvedBy}).`)
          else
            lines.push(
              `WARNING: ${formatHostPort(e.host, e.port)} is not approved; every request to it will be refused and audited.`,
              `Approve it with: endpoints approve ${e.name} --reason "<why>"`,
            )
          return lines.join('\n')
        })
      },
    )

  endpoints
    .command('list')
    .description('endpoints with their approval and whether they answer now (each check is audited)')
    .action(async (_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      const list = await endpointsWithStatus(ctx)
      rt.print(cmd, list, (l) =>
        table(
          ['name', 'kind', 'url', 'policy', 'models', 'reachability'],
          l.map((e) => [
            e.name + (e.isDefault ? ' (default)' : ''),
            e.kind,
            e.baseUrl,
            approvalText(e),
            e.modelCount,
            reach(e),
          ]),
        ),
      )
    })

  endpoints
    .command('approve <name>')
    .description("approve an endpoint's host and port, as the current OS user")
    .requiredOption('--reason <text>', 'why this destination may receive data')
    .action(async (name: string, opts: { reason: string }, cmd: Command) => {
      const ctx = rt.context(cmd)
      const e = getEndpoint(ctx, name, egressGuard(ctx).actor)
      const a = await approveHost(ctx, { host: e.host, port: e.port, reason: opts.reason })
      rt.print(cmd, a, (x) => `${approvedText(x)}: ${x.reason}`)
    })

  endpoints
    .command('remove <name>')
    .description('remove an endpoint (its approval stays until revoked)')
    .action((name: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      const removed = removeEndpoint(ctx, name, egressGuard(ctx).actor)
      if (!removed) throw new AppError('not_found', `No endpoint named "${name}".`)
      rt.print(cmd, { removed }, () => `Removed endpoint ${name}.`)
    })

  const egress = program
    .command('egress')
    .description('the egress policy: loopback only, plus explicit approvals')
  egress
    .command('policy')
    .description('the policy and every approval, active and revoked')
    .action((_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      const approvals = listApprovals(ctx.db)
      rt.print(cmd, { description: POLICY_DESCRIPTION, approvals }, (p) =>
        [
          p.description,
          '',
          p.approvals.length === 0
            ? 'No approvals: only loopback destinations are reachable.'
            : table(
                ['id', 'destination', 'addresses', 'approved by', 'at', 'reason', 'revoked'],
                p.approvals.map((a) => [
                  a.id,
                  formatHostPort(a.host, a.port),
                  a.addresses ? a.addresses.join(' ') : '',
                  a.approvedBy,
                  a.approvedAt,
                  a.reason,
                  a.revokedAt ? `${a.revokedAt} by ${a.revokedBy}` : '',
                ]),
              ),
        ].join('\n'),
      )
    })
  egress
    .command('approve <host>')
    .description('approve a destination host (any port unless --port)')
    .option('--port <n>', 'only this port')
    .requiredOption('--reason <text>', 'why this destination may receive data')
    .action(async (host: string, opts: { port?: string; reason: string }, cmd: Command) => {
      const port = opts.port === undefined ? null : Number(opts.port)
      if (port !== null && !(Number.isInteger(port) && port >= 1 && port <= 65535))
        throw usageError(`--port: "${opts.port}" is not a TCP port`)
      const ctx = rt.context(cmd)
      const a = await approveHost(ctx, { host, port, reason: opts.reason })
      rt.print(cmd, a, (x) => `${approvedText(x)}.`)
    })
  egress
    .command('reapprove <id>')
    .description(
      'approve an approved host name again at the addresses it resolves to now (after a refusal: it moved)',
    )
    .option('--expect <addresses...>', 'only if the name resolves to exactly these addresses now')
    .action(async (id: string, opts: { expect?: string[] }, cmd: Command) => {
      const n = Number(id)
      if (!Number.isInteger(n)) throw usageError(`"${id}" is not an approval id`)
      const ctx = rt.context(cmd)
      const a = await reapproveHost(ctx, n, opts.expect)
      rt.print(cmd, a, (x) => `${approvedText(x)} (replaces approval ${x.replaces}).`)
    })
  egress
    .command('revoke <id>')
    .description('revoke an approval')
    .action((id: string, _opts, cmd: Command) => {
      const n = Number(id)
      if (!Number.isInteger(n)) throw usageError(`"${id}" is not an approval id`)
      const ctx = rt.context(cmd)
      const a = revokeApproval(ctx.db, n, egressGuard(ctx).actor)
      rt.print(cmd, a, (x) => `Revoked approval ${x.id} of ${formatHostPort(x.host, x.port)}.`)
    })

  program
    .command('models')
    .description('models of every endpoint, with digests (asks each endpoint; each request is audited)')
    .option('--offline', 'show the models seen last time without asking the endpoints')
    .action(async (opts: { offline?: boolean }, cmd: Command) => {
      const ctx = rt.context(cmd)
      const listing = await listModels(ctx, { refresh: !opts.offline })
      rt.print(cmd, listing, (l) => {
        const out = [
          l.models.length === 0
            ? 'No models found. Start Ollama (ollama serve) and pull a model (ollama pull llama3.1:8b), or add an endpoint.'
            : table(
                ['model', 'digest', 'size', 'family', 'params', 'quant', 'context'],
                l.models.map((m) => [
                  m.key,
                  m.digest ? m.digest.replace(/^sha256:/, '').slice(0, 12) : '(none)',
                  m.sizeBytes === null ? '' : formatBytes(m.sizeBytes),
                  m.family,
                  m.parameterSize,
                  m.quantization,
                  m.contextLength,
                ]),
              ),
        ]
        for (const f of l.failures) out.push(`! ${f.endpoint}: ${f.error}`)
        return out.join('\n')
      })
    })

  const audit = program
    .command('audit')
    .description('the audit log of everything sent off this process, newest first')
    .option('--since <time>', 'from this time: ISO-8601, a date, or an age such as 24h or 7d')
    .option('--until <time>', 'before this time')
    .option('--kind <kind>', 'request, refusal, approval or policy')
    .option('--host <host>', 'only this destination host')
    .option('--limit <n>', 'at most this many rows (default 1000)', '1000')
    .action(
      (
        opts: { since?: string; until?: string; kind?: string; host?: string; limit: string },
        cmd: Command,
      ) => {
        const limit = Number(opts.limit)
        if (!Number.isInteger(limit) || limit < 1)
          throw usageError(`--limit: "${opts.limit}" is not a positive integer`)
        if (opts.kind && !['request', 'refusal', 'approval', 'policy'].includes(opts.kind))
          throw usageError(`--kind: "${opts.kind}" is not request, refusal, approval or policy`)
        const ctx = rt.context(cmd)
        const page = listAudit(ctx.db, {
          since: opts.since,
          until: opts.until,
          kind: opts.kind as 'request' | undefined,
          host: opts.host,
          limit,
        })
        rt.print(cmd, page, (p) =>
          [
            table(AUDIT_HEADERS, p.entries.map(auditCells)),
            p.truncated
              ? `(${p.entries.length} of ${p.total} rows; use --limit or --since)`
              : `${p.total} rows`,
          ].join('\n'),
        )
      },
    )
  audit
    .command('unfinished')
    .description(
      'requests whose intent row has no outcome row: sent (or about to be) when the app stopped before the reply',
    )
    .action((_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      const page = listUnfinished(ctx.db)
      rt.print(cmd, page, (p) =>
        p.total === 0
          ? 'No unfinished requests: every intent row has its outcome row.'
          : [
              table(AUDIT_HEADERS, p.entries.map(auditCells)),
              `${p.total} unfinished request(s): recorded before sending, no outcome — the app stopped before the reply (or another running WardEval process is still waiting for it).`,
            ].join('\n'),
      )
    })
  audit
    .command('export [file]')
    .description('write the whole log (with hashes) as CSV; default: exports/ next to the database')
    .option('--since <time>', 'from this time')
    .action((file: string | undefined, opts: { since?: string }, cmd: Command) => {
      const ctx = rt.context(cmd)
      const out = exportAuditCsv(ctx.db, file ?? defaultExportFile(ctx.dataDir), { since: opts.since })
      rt.print(cmd, out, (o) => `Wrote ${o.rows} rows to ${o.file}`)
    })
}

const AUDIT_HEADERS = [
  'seq',
  'time',
  'kind',
  'actor',
  'destination',
  'address',
  'purpose',
  'sent',
  'recv',
  'outcome',
  'detail',
]

/** One audit row for the table: an intent shows its state, an outcome row the intent it completes. */
function auditCells(e: AuditEntry): (string | number)[] {
  const outcome =
    e.intentState === 'unfinished'
      ? 'intent: UNFINISHED (app stopped before the reply)'
      : e.intentState === 'in_flight'
        ? 'intent: in flight'
        : e.intentState === 'completed'
          ? `intent → #${e.completedBySeq ?? '?'}`
          : e.completesSeq !== null
            ? `${e.outcome} (#${e.completesSeq})`
            : e.outcome
  return [
    e.seq,
    e.ts,
    e.kind,
    e.actor,
    e.host ? formatHostPort(e.host, e.port) : '',
    e.address,
    purposeText(e.purpose),
    e.bytesSent,
    e.bytesReceived,
    outcome,
    e.detail,
  ]
}

function approvedText(a: Approval): string {
  const pins = a.addresses ? ` at ${a.addresses.join(', ')}` : ''
  return `Approved ${formatHostPort(a.host, a.port)}${pins} (approval ${a.id}) by ${a.approvedBy} at ${a.approvedAt}`
}
