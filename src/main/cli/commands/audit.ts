import type { Command } from 'commander'
import type { AnchoredVerifyResult, ForwardStatus } from '../../../shared/api/audit'
import { verifyWithAnchors, requireAnchorsExist } from '../../audit/anchor-verify'
import { writeAnchor } from '../../audit/anchors'
import { deliverPending, disableForwarding, forwardStatus, setForwarding } from '../../audit/forward'
import { keyInfo } from '../../audit/handlers'
import { formatHostPort } from '../../egress/address'
import { AppError } from '../../errors'
import { verifySignedFile, type FileVerification } from '../../signing/files'
import { trustedFingerprints } from '../../signing/installation'
import { usageError, type CliRuntime } from '../runtime'
import { displayText } from '../../../shared/display-text'
import { registerAuditRequests } from './audit-requests'

const collect = (value: string, previous: string[] = []) => [...previous, value]

/** `audit key`, `audit anchor`, `audit verify` (with anchors), `audit forward …` and `verify <file>`. */
export function registerAuditCommands(program: Command, rt: CliRuntime): void {
  const audit = program.commands.find((c) => c.name() === 'audit')
  if (!audit) throw new Error('the audit command must be registered first')
  audit
    .command('key')
    .description("this installation's signing key (Ed25519; created on first use): its fingerprint")
    .action((_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      rt.print(cmd, keyInfo(ctx), (k) =>
        [
          `Installation key: ${k.fingerprint}`,
          `Ed25519, created ${k.createdAt}; private key ${k.protection === 'none' ? 'in an owner-only file' : `sealed with ${k.protection}`}: ${k.file}`,
          'Write the fingerprint down (or give it to your SIEM team): anchors, manifests and reports signed by any other key fail verification.',
        ].join('\n'),
      )
    })
  audit
    .command('anchor')
    .description('sign the current head of the audit chain into the anchors folder (outside the database)')
    .option('--out <file>', 'also write a copy of the anchor here (keep it off this machine)')
    .action((opts: { out?: string }, cmd: Command) => {
      const ctx = rt.context(cmd)
      const a = writeAnchor(ctx, { reason: 'manual', out: opts.out })
      rt.print(cmd, a, (x) =>
        [
          `Anchored rows 1–${x.seq} (head hash ${x.headHash}) at ${x.at}, signed by ${x.keyFingerprint}.`,
          `Written to ${x.file}${opts.out ? ` and ${opts.out}` : ''}.`,
        ].join('\n'),
      )
    })
  registerAuditRequests(audit, rt)
  registerVerify(audit, rt)
  registerForward(audit, rt)
  program
    .command('verify <file>')
    .description(
      'check a signed file (a report, a run manifest with its .sig, an anchor): what was signed, when, by whom',
    )
    .option('--trust <fingerprint>', "also accept this key's signatures (repeatable)", collect, [])
    .action((file: string, opts: { trust: string[] }, cmd: Command) => {
      const v = verifySignedFile(file, trustedFingerprints(rt.dataDir(cmd), opts.trust))
      rt.print(cmd, v, signedFileText)
      if (!v.ok) throw new AppError('conflict', `verify failed: ${v.problem}`)
    })
}

function signedFileText(v: FileVerification): string {
  const e = v.envelope
  const what = e ? `${e.contentType} (${e.contentBytes} bytes, sha256 ${e.contentSha256})` : 'unknown content'
  const lines = [
    `${v.ok ? 'VERIFIED' : 'NOT VERIFIED'}: ${v.file}`,
    `Signed content: ${what}`,
    e ? `Signed at ${e.signedAt} by key ${e.keyFingerprint}` : '',
    v.ok ? 'Not a byte of it changed since.' : `Problem (${v.problem}): ${v.message}`,
  ]
  if (v.layout === 'embedded') lines.splice(2, 0, ...embeddedLines(v))
  const c = v.content as { format?: string; seq?: number; headHash?: string; at?: string } | null
  if (c?.format === 'wardeval-audit-anchor/1')
    lines.push(`Anchor: rows 1–${c.seq} with head hash ${c.headHash}, taken ${c.at}.`)
  return lines.filter(Boolean).join('\n')
}

/** What a report with an embedded signature says it is (signed with it). */
function embeddedLines(v: FileVerification): string[] {
  const a = v.about ?? {}
  return [
    ...Object.entries(a).map(([k, value]) => `${k[0]!.toUpperCase()}${k.slice(1)}: ${displayText(value)}`),
    `Content sha256 (without the signature block): ${v.contentSha256 ?? 'unknown'}`,
  ]
}

function registerVerify(audit: Command, rt: CliRuntime): void {
  audit
    .command('verify')
    .description(
      'check the hash chain and that every anchor is still a prefix of it; exits 1 on any difference',
    )
    .option('--anchors <dir>', 'the anchors folder (default: anchors/ in the data folder)')
    .option(
      '--anchor <file>',
      'also check this anchor (repeatable; e.g. a copy kept off the machine)',
      collect,
      [],
    )
    .option('--trust <fingerprint>', 'also accept anchors signed by this key (repeatable)', collect, [])
    .action((opts: { anchors?: string; anchor: string[]; trust: string[] }, cmd: Command) => {
      const ctx = rt.context(cmd)
      const result = verifyWithAnchors(ctx, { dir: opts.anchors, files: opts.anchor, trust: opts.trust })
      requireAnchorsExist(result, opts.anchors !== undefined && opts.anchor.length === 0)
      rt.print(cmd, result, verifyText)
      if (!result.ok)
        throw new AppError(
          'conflict',
          result.firstDiffering
            ? `audit verify failed: row ${result.firstDiffering.seq} differs from the anchor of ${result.firstDiffering.anchorAt}`
            : `audit verify failed${result.firstBad ? ` at row ${result.firstBad.seq}` : ''}`,
        )
    })
}

function verifyText(r: AnchoredVerifyResult): string {
  const verdict = !r.chainOk
    ? `AUDIT LOG ALTERED at row ${r.firstBad!.seq} (${r.firstBad!.problem}): ${r.firstBad!.message}`
    : r.ok
      ? `Audit log intact: ${r.rows} rows, head row ${r.headSeq ?? '-'} hash ${r.headHash ?? '-'}.`
      : `AUDIT LOG ALTERED: the rows hash and link correctly, but ${r.firstDiffering ? `row ${r.firstDiffering.seq} differs from the anchor of ${r.firstDiffering.anchorAt}` : 'an anchor does not check out'} — the log was rewritten with its hashes recomputed, or an anchor is not genuine.`
  const lines = [
    verdict,
    `Anchors${r.anchorsDir ? ` in ${r.anchorsDir}` : ''}: ${r.counts.matched} match, ${r.counts.failed} fail${r.counts.skipped ? `, ${r.counts.skipped} of other databases skipped` : ''}.`,
    `Installation key: ${r.keyFingerprint ?? 'none on this machine (pass --trust <fingerprint>)'}`,
    ...r.statement,
  ]
  if (r.unfinished.count)
    lines.push(
      `${r.unfinished.count} unfinished request(s) — the app stopped before the reply; intent row(s) ${r.unfinished.seqs.join(', ')}${r.unfinished.count > r.unfinished.seqs.length ? ', …' : ''}. Not a break in the chain (if WardEval is running elsewhere on this file, a request may still be in flight there). See: audit unfinished`,
    )
  return lines.join('\n')
}

function registerForward(audit: Command, rt: CliRuntime): void {
  const forward = audit
    .command('forward')
    .description(
      "send anchors (and optionally every row) to the hospital's log collector: RFC 5424 syslog over TCP/TLS",
    )
  forward
    .command('set')
    .description('forward to an approved collector (see: egress approve <host> --port <n> --reason …)')
    .requiredOption('--endpoint <host:port>', 'the collector, e.g. siem.hospital.org:6514')
    .option('--tls', 'use TLS (the collector certificate is verified)')
    .option('--ca <file>', "PEM file of the CA that signed the collector's certificate")
    .option('--all-rows', 'forward every audit row as well, not only anchors')
    .action((opts: { endpoint: string; tls?: boolean; ca?: string; allRows?: boolean }, cmd: Command) => {
      const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(opts.endpoint.trim())
      if (!m) throw usageError(`--endpoint: "${opts.endpoint}" is not host:port`)
      const ctx = rt.context(cmd)
      const status = setForwarding(ctx, {
        host: m[1]!,
        port: Number(m[2]),
        tls: Boolean(opts.tls),
        allRows: Boolean(opts.allRows),
        caFile: opts.ca ?? null,
      })
      rt.print(cmd, status, forwardText)
    })
  forward
    .command('status')
    .description('where anchors go, what is queued, the last delivery and the last error')
    .action((_opts, cmd: Command) => rt.print(cmd, forwardStatus(rt.context(cmd)), forwardText))
  forward
    .command('off')
    .description('stop forwarding (what is queued stays in the anchors folder)')
    .action((_opts, cmd: Command) => rt.print(cmd, disableForwarding(rt.context(cmd)), forwardText))
  forward
    .command('send')
    .description('deliver what is queued now; exits 1 if the collector cannot be reached')
    .action(async (_opts, cmd: Command) => {
      const status = await deliverPending(rt.context(cmd))
      rt.print(cmd, status, forwardText)
      if (status.lastError && (status.pendingAnchors > 0 || status.pendingRows > 0))
        throw new AppError('conflict', `delivery failed: ${status.lastError}`)
    })
}

export function forwardText(s: ForwardStatus): string {
  if (!s.config)
    return 'Audit forwarding is off. Set it with: audit forward set --endpoint <host:port> [--tls] [--all-rows]'
  const c = s.config
  return [
    `Forwarding to ${formatHostPort(c.host, c.port)} over ${c.tls ? 'TLS' : 'TCP'} (RFC 5424 syslog): anchors${c.allRows ? ' and every audit row' : ''}.`,
    s.lastDelivered
      ? `Last anchor delivered: rows 1–${s.lastDelivered.anchorSeq} (anchor of ${s.lastDelivered.anchorAt}), delivered ${s.lastDelivered.deliveredAt}.`
      : 'No anchor delivered yet.',
    `Queued: ${s.pendingAnchors} anchor(s)${c.allRows ? `, ${s.pendingRows} row(s)` : ''}.`,
    s.lastError
      ? `Last attempt ${s.lastAttemptAt} failed: ${s.lastError}; next attempt after ${s.nextAttemptAt} (or now: audit forward send).`
      : s.pendingAnchors > 0
        ? 'Anchors are sent when the next one is written; send what is queued now with: audit forward send'
        : '',
  ]
    .filter(Boolean)
    .join('\n')
}
