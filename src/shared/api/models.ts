import { z } from 'zod'

// Channels of the models feature: model endpoints, the egress policy and the audit log.
// Combined in ./contract.ts.

/** Why the app sent something over the network. Stored (canonical JSON) in every audit row. */
export const EgressPurpose = z.discriminatedUnion('kind', [
  /** A model answering one benchmark instance during a run. */
  z.object({
    kind: z.literal('run'),
    runId: z.number().int(),
    benchmark: z.string().min(1),
    instanceId: z.number().int(),
    modelKey: z.string().optional(),
  }),
  /** A jury model judging one run item. */
  z.object({
    kind: z.literal('judge'),
    runId: z.number().int(),
    benchmark: z.string().min(1),
    instanceId: z.number().int(),
    judgeKey: z.string().optional(),
    criterion: z.string().optional(),
  }),
  /** An embedding model embedding a response and its reference (BERTScore-style similarity). */
  z.object({
    kind: z.literal('embedding'),
    runId: z.number().int(),
    benchmark: z.string().min(1),
    instanceId: z.number().int(),
    modelKey: z.string().optional(),
  }),
  /** Listing an endpoint's models (and their details). */
  z.object({ kind: z.literal('model_listing') }),
  /** Is a server answering? (status bar, endpoint reachability) */
  z.object({ kind: z.literal('status_check') }),
  /** Signed audit anchors (and, if chosen, audit rows) sent to the hospital's log collector (SIEM). */
  z.object({
    kind: z.literal('audit_forward'),
    anchors: z.number().int().nonnegative(),
    rows: z.number().int().nonnegative(),
  }),
])
export type EgressPurpose = z.infer<typeof EgressPurpose>
export const PURPOSE_KINDS = [
  'run',
  'judge',
  'embedding',
  'model_listing',
  'status_check',
  'audit_forward',
] as const

export const PURPOSE_LABELS: Readonly<Record<string, string>> = {
  run: 'Run',
  judge: 'Jury',
  embedding: 'Embedding',
  model_listing: 'Model listing',
  status_check: 'Status check',
  audit_forward: 'Audit forwarding',
}

/** One line saying why a request was sent, for the audit screen, the CLI and exports. */
export function purposeText(p: Record<string, unknown>): string {
  const kind = typeof p.kind === 'string' ? p.kind : ''
  const label = PURPOSE_LABELS[kind]
  if (kind === 'run' || kind === 'judge' || kind === 'embedding') {
    return `${label} ${String(p.runId)} · ${String(p.benchmark)} #${String(p.instanceId)}`
  }
  if (kind === 'audit_forward') return `${label} · ${String(p.anchors)} anchors, ${String(p.rows)} rows`
  return label ?? kind
}

export const EndpointKind = z.enum(['ollama', 'openai'])
export type EndpointKind = z.infer<typeof EndpointKind>

/** An approved name that now resolves elsewhere: what to show and what re-approving would pin. */
export const AddressChange = z.object({
  approvalId: z.number().int(),
  host: z.string(),
  port: z.number().int().nullable(),
  /** Pinned at approval (empty: approved before addresses were recorded). */
  approved: z.array(z.string()),
  /** What the name resolves to now (non-loopback addresses). */
  resolved: z.array(z.string()),
})
export type AddressChange = z.infer<typeof AddressChange>

export const Reachability = z.object({
  reachable: z.boolean(),
  /** Server version (Ollama) or null. */
  version: z.string().nullable(),
  /** Why it is not reachable: refused by the egress policy, connection refused, HTTP status… */
  error: z.string().nullable(),
  /** 'refused' when the egress policy blocked the check (no connection was made). */
  errorKind: z.string().nullable(),
  /** Refused because an approved name now resolves to addresses nobody approved: offer re-approval. */
  addressChange: AddressChange.nullable().default(null),
  checkedAt: z.string(),
})
export type Reachability = z.infer<typeof Reachability>

export const Approval = z.object({
  id: z.number().int(),
  host: z.string(),
  port: z.number().int().nullable(),
  approvedBy: z.string(),
  reason: z.string(),
  approvedAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  /**
   * For a host name: the addresses it resolved to when it was approved (canonical). A later
   * resolution to any other address is refused until re-approved. Null for an IP address, and for
   * a name approved before addresses were recorded (refused until re-approved).
   */
  addresses: z.array(z.string()).nullable(),
  /** The approval this one re-approved with new addresses (that one is revoked). */
  replaces: z.number().int().nullable(),
})
export type Approval = z.infer<typeof Approval>

export const Endpoint = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: EndpointKind,
  baseUrl: z.string(),
  /** The built-in endpoint: Ollama on this machine (OLLAMA_HOST). */
  isDefault: z.boolean(),
  host: z.string(),
  port: z.number().int(),
  /** Loopback destinations need no approval. */
  loopback: z.boolean(),
  /** The active approval covering this host and port, if any. */
  approval: Approval.nullable(),
  concurrency: z.number().int(),
  timeoutMs: z.number().int(),
  createdAt: z.string(),
  modelCount: z.number().int(),
})
export type Endpoint = z.infer<typeof Endpoint>

export const EndpointWithStatus = Endpoint.extend({ status: Reachability })
export type EndpointWithStatus = z.infer<typeof EndpointWithStatus>

export const ModelInfo = z.object({
  endpoint: z.string(),
  endpointKind: EndpointKind,
  name: z.string(),
  /** '<endpoint>/<model>', the key runs use. */
  key: z.string(),
  /** Content digest (Ollama: sha256 of the manifest); null when the server does not report one. */
  digest: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  family: z.string().nullable(),
  parameterSize: z.string().nullable(),
  quantization: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  lastSeenAt: z.string(),
})
export type ModelInfo = z.infer<typeof ModelInfo>

export const ModelListing = z.object({
  models: z.array(ModelInfo),
  /** Endpoints that could not be listed this time (their previously seen models are still shown). */
  failures: z.array(z.object({ endpoint: z.string(), error: z.string(), errorKind: z.string() })),
})
export type ModelListing = z.infer<typeof ModelListing>

/** Endpoint names: a safe character set (they appear in model keys, CSV exports, terminals, env variables). */
export const ENDPOINT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
export const ENDPOINT_NAME_RULE =
  'use 1–64 letters, digits, dot, dash or underscore, starting with a letter or digit'

const EndpointName = z.string().trim().regex(ENDPOINT_NAME_PATTERN, ENDPOINT_NAME_RULE)

export const AddEndpointInput = z.object({
  name: EndpointName,
  url: z.string().trim().min(1),
  kind: EndpointKind,
  /** Approve the destination at the same time (needed for anything but loopback). */
  approveReason: z.string().trim().min(1).optional(),
})
export type AddEndpointInput = z.infer<typeof AddEndpointInput>

export const AuditKind = z.enum(['request', 'refusal', 'approval', 'policy'])
export type AuditKind = z.infer<typeof AuditKind>

export const AuditEntry = z.object({
  seq: z.number().int(),
  ts: z.string(),
  kind: AuditKind,
  actor: z.string(),
  endpointId: z.number().int().nullable(),
  endpoint: z.string().nullable(),
  host: z.string(),
  port: z.number().int().nullable(),
  address: z.string(),
  purpose: z.record(z.string(), z.unknown()),
  purposeKind: z.string(),
  bytesSent: z.number().int(),
  bytesReceived: z.number().int(),
  bodySha256: z.string(),
  outcome: z.string(),
  detail: z.string(),
  prevHash: z.string(),
  hash: z.string(),
  /** On an outcome row: the seq of the write-ahead intent row it completes. */
  completesSeq: z.number().int().nullable(),
  /**
   * On an intent row (outcome 'intent', committed before the request's first byte was sent):
   * completed (an outcome row names it), in_flight (this process is sending it now) or unfinished
   * (no outcome row: the app stopped before the reply). Null on every other row.
   */
  intentState: z.enum(['completed', 'in_flight', 'unfinished']).nullable(),
  /** On a completed intent row, when known: the seq of its outcome row. */
  completedBySeq: z.number().int().nullable(),
})
export type AuditEntry = z.infer<typeof AuditEntry>

export const AuditFilter = z.object({
  since: z.string().optional(),
  until: z.string().optional(),
  kind: AuditKind.optional(),
  host: z.string().optional(),
  purposeKind: z.string().optional(),
  outcome: z.string().optional(),
  limit: z.number().int().min(1).max(100_000).default(10_000),
})
export type AuditFilter = z.input<typeof AuditFilter>

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  total: z.number().int(),
  truncated: z.boolean(),
})
export type AuditPage = z.infer<typeof AuditPage>

export const DestinationSummary = z.object({
  host: z.string(),
  port: z.number().int().nullable(),
  loopback: z.boolean(),
  requests: z.number().int(),
  refusals: z.number().int(),
  failures: z.number().int(),
  /** Requests whose intent row has no outcome row (the app stopped before the reply); also counted in failures. */
  unfinished: z.number().int(),
  bytesSent: z.number().int(),
  bytesReceived: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
})
export type DestinationSummary = z.infer<typeof DestinationSummary>

export const AuditSummary = z.object({
  destinations: z.array(DestinationSummary),
  byPurpose: z.array(
    z.object({ purposeKind: z.string(), requests: z.number().int(), bytesSent: z.number().int() }),
  ),
  totalRows: z.number().int(),
})
export type AuditSummary = z.infer<typeof AuditSummary>

export const VerifyResult = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  headSeq: z.number().int().nullable(),
  headHash: z.string().nullable(),
  /** The first row that does not check out, and why. */
  firstBad: z
    .object({
      seq: z.number().int(),
      problem: z.enum(['edited', 'broken_link', 'missing_tail', 'anchor_missing', 'anchor_mismatch']),
      message: z.string(),
    })
    .nullable(),
  /**
   * Write-ahead intent rows with no outcome row: requests that were on the wire when the app
   * stopped. Reported, not a break in the chain. seqs lists at most the first 1000, oldest first.
   */
  unfinished: z.object({ count: z.number().int(), seqs: z.array(z.number().int()) }),
  /** Intent rows of requests this process is still sending (not unfinished: their outcome is to come). */
  inFlight: z.number().int(),
  checkedAt: z.string(),
})
export type VerifyResult = z.infer<typeof VerifyResult>

export const EgressPolicy = z.object({
  mode: z.literal('loopback-only-plus-approved'),
  description: z.string(),
  approvals: z.array(Approval),
})
export type EgressPolicy = z.infer<typeof EgressPolicy>

export const modelsContract = {
  'models:endpoints': { input: z.undefined(), output: z.array(Endpoint) },
  'models:endpoints-status': { input: z.undefined(), output: z.array(EndpointWithStatus) },
  'models:endpoint-add': { input: AddEndpointInput, output: Endpoint },
  'models:endpoint-remove': {
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ removed: z.boolean() }),
  },
  /** Models seen so far; with refresh, asks every endpoint first. */
  'models:list': { input: z.object({ refresh: z.boolean().default(false) }), output: ModelListing },
  'egress:policy': { input: z.undefined(), output: EgressPolicy },
  'egress:approve': {
    input: z.object({
      host: z.string().trim().min(1),
      port: z.number().int().min(1).max(65535).nullable(),
      reason: z.string().trim().min(1),
    }),
    output: Approval,
  },
  'egress:revoke': { input: z.object({ id: z.number().int() }), output: Approval },
  /**
   * Re-approves an approved name at the addresses it resolves to now (one step: the old approval
   * is revoked, a new one with the same host, port and reason pins the new addresses). With
   * `addresses`, refused unless the name still resolves to exactly those (what the user was shown).
   */
  'egress:reapprove': {
    input: z.object({ id: z.number().int(), addresses: z.array(z.string()).optional() }),
    output: Approval,
  },
  'audit:list': { input: AuditFilter, output: AuditPage },
  'audit:summary': { input: z.undefined(), output: AuditSummary },
  'audit:verify': { input: z.undefined(), output: VerifyResult },
  /**
   * Main writes the CSV into the exports folder next to the database (or to the file the user chose
   * in the native save dialog) and says where. A compromised page cannot write files elsewhere.
   */
  'audit:export': {
    /** `file`: only a path the user chose in the save dialog (app:pick-save-file), or one in exports/. */
    input: z
      .object({ file: z.string().min(1).optional() })
      .strict()
      .optional(),
    output: z.object({ file: z.string(), rows: z.number().int() }),
  },
} as const

export const modelsEvents = {
  /** A row was appended to the audit log (the Privacy & Audit screen refreshes). */
  'audit:appended': z.object({ seq: z.number().int(), kind: AuditKind }),
} as const
