import { z } from 'zod'
import { VerifyResult } from './models'

// Channels of the audit anchors, the installation signing key and forwarding to a SIEM.
// Combined in ./contract.ts (the audit log's list, summary and export channels are in ./models.ts).

export const AnchorReason = z.enum(['manual', 'run', 'scoring', 'daily', 'startup'])
export type AnchorReason = z.infer<typeof AnchorReason>

/** A signed checkpoint of the audit chain, as stored in the anchors folder. */
export const AnchorInfo = z.object({
  file: z.string(),
  /** The database file name the anchor was written for. */
  database: z.string(),
  /** Rows 1–seq are anchored; headHash is row seq's hash. */
  seq: z.number().int(),
  headHash: z.string(),
  at: z.string(),
  reason: AnchorReason,
  runId: z.number().int().nullable(),
  keyFingerprint: z.string(),
})
export type AnchorInfo = z.infer<typeof AnchorInfo>

export const KeyInfo = z.object({
  fingerprint: z.string(),
  createdAt: z.string(),
  /** 'none' (owner-only file) or the OS key store sealing the private key ('safeStorage'). */
  protection: z.string(),
  file: z.string(),
})
export type KeyInfo = z.infer<typeof KeyInfo>

export const AnchorStatus = z.enum([
  'match',
  'mismatch',
  'missing_rows',
  'bad_signature',
  'untrusted_key',
  'content_changed',
  'malformed',
  'other_database',
])
export type AnchorStatus = z.infer<typeof AnchorStatus>

export const FirstDiffering = z.object({
  seq: z.number().int(),
  /** False when the anchor only bounds it: the row is this one or an earlier one. */
  exact: z.boolean(),
})

export const AnchorCheck = z.object({
  file: z.string(),
  status: AnchorStatus,
  anchor: AnchorInfo.nullable(),
  message: z.string(),
  firstDiffering: FirstDiffering.nullable(),
})
export type AnchorCheck = z.infer<typeof AnchorCheck>

/**
 * The chain check (VerifyResult: `firstBad` is the chain's own problem) extended with the anchors.
 * `ok` is the whole verdict: the chain intact AND every anchor genuine and still a prefix of it.
 */
export const AnchoredVerifyResult = VerifyResult.extend({
  /** The rows link and hash correctly among themselves (what someone with the file could fake). */
  chainOk: z.boolean(),
  keyFingerprint: z.string().nullable(),
  anchorsDir: z.string(),
  anchors: z.array(AnchorCheck),
  counts: z.object({
    matched: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
  }),
  /** The newest anchor the log still matches (rows 1–seq proven). */
  proven: z
    .object({ seq: z.number().int(), at: z.string(), keyFingerprint: z.string(), file: z.string() })
    .nullable(),
  /** Rows written after the newest matching anchor (not yet covered by any anchor). */
  unanchored: z.object({ from: z.number().int(), to: z.number().int() }).nullable(),
  firstDiffering: FirstDiffering.extend({ anchorFile: z.string(), anchorAt: z.string() }).nullable(),
  /** What is proven, in plain sentences. */
  statement: z.array(z.string()),
})
export type AnchoredVerifyResult = z.infer<typeof AnchoredVerifyResult>

export const ForwardConfig = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean(),
  /** Forward every audit row too, not only anchors. */
  allRows: z.boolean(),
  /** A PEM file of the certificate authority that signed the collector's certificate (TLS), if not a system one. */
  caFile: z.string().min(1).nullable().default(null),
})
export type ForwardConfig = z.infer<typeof ForwardConfig>
export type ForwardConfigInput = z.input<typeof ForwardConfig>

export const ForwardStatus = z.object({
  config: ForwardConfig.nullable(),
  /** Anchors written but not yet delivered; rows not yet delivered (with allRows). */
  pendingAnchors: z.number().int(),
  pendingRows: z.number().int(),
  lastDelivered: z
    .object({ anchorSeq: z.number().int(), anchorAt: z.string(), deliveredAt: z.string() })
    .nullable(),
  lastAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
})
export type ForwardStatus = z.infer<typeof ForwardStatus>

export const auditContract = {
  /** The installation signing key; null until first used (the first anchor creates it). */
  'audit:key': { input: z.undefined(), output: KeyInfo.nullable() },
  /** Writes a signed anchor of the chain now, into the anchors folder. */
  'audit:anchor': { input: z.undefined(), output: AnchorInfo },
  'audit:anchors': {
    input: z.undefined(),
    output: z.object({ dir: z.string(), total: z.number().int(), latest: z.array(AnchorInfo) }),
  },
  /** Verifies the chain and every anchor of the anchors folder. */
  'audit:verify-anchored': { input: z.undefined(), output: AnchoredVerifyResult },
  'audit:forward-status': { input: z.undefined(), output: ForwardStatus },
  'audit:forward-set': { input: ForwardConfig, output: ForwardStatus },
  'audit:forward-off': { input: z.undefined(), output: ForwardStatus },
  /** Delivers what is queued now. */
  'audit:forward-send': { input: z.undefined(), output: ForwardStatus },
} as const
