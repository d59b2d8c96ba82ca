import type { Command } from 'commander'
import type { OpenedPacket, PacketExportResult, PacketImportResult } from '../../../shared/api/review-packets'
import { AppError } from '../../errors'
import { exportPacket } from '../../review/packet/export'
import { importPacketRatings } from '../../review/packet/import'
import { exportPacketRatings, listPackets, openPacket } from '../../review/packet/local'
import { findReviewer } from '../../review/reviewers'
import { table, wholeNumberArg, type CliRuntime } from '../runtime'

/**
 * `review packet export|open|list|ratings|import`: review packets for clinicians on other
 * workstations. The coordinator exports one reviewer's blinded items of a set; the clinician opens
 * the packet in WardEval on their machine, rates it in the app (Review → Open packet) and exports a
 * ratings file; the coordinator imports it.
 */

function exportText(r: PacketExportResult): string {
  return [
    r.statement,
    `Wrote review packet ${r.path} (${r.items} items for ${r.reviewer}, sha256 ${r.hash}).`,
    'The clinician opens it in WardEval (Review → Open packet, or `review packet open <file>`), rates it and sends back the ratings file: `review packet import <file>`.',
  ].join('\n')
}

function packetsText(list: OpenedPacket[]): string {
  if (list.length === 0) return 'No packet opened on this machine. Open one: review packet open <file>'
  return table(
    ['packet', 'set', 'reviewer', 'benchmark', 'rated', 'patient text', 'opened', 'sha256'],
    list.map((p) => [
      p.id,
      p.setId,
      p.reviewer,
      p.benchmarkName,
      `${p.rated}/${p.total}`,
      p.containsPatientText ? 'yes' : 'no',
      p.openedAt,
      `${p.hash.slice(0, 12)}…`,
    ]),
  )
}

function importText(r: PacketImportResult): string {
  if (r.alreadyImported)
    return `${r.file} was already imported (packet ${r.packetHash.slice(0, 12)}…); nothing was written.`
  return [
    `Imported ${r.ratings} ratings of ${r.items} items by ${r.reviewer} into review set ${r.setId} from ${r.file}${r.replaced ? ` (${r.replaced} replaced)` : ''}.`,
    `Entered by OS user${r.osUsers.length === 1 ? '' : 's'}: ${r.osUsers.join(', ') || '-'}`,
  ].join('\n')
}

export function registerReviewPacketCommands(review: Command, rt: CliRuntime): void {
  const packet = review
    .command('packet')
    .description('review packets: rate a review set on another workstation and bring the ratings back')

  registerExport(packet, rt)

  packet
    .command('open <file>')
    .description('open a packet on this machine for rating (then rate it in the app: Review → packets)')
    .action((file: string, _opts, cmd: Command) => {
      const p = openPacket(rt.context(cmd).db, file)
      rt.print(cmd, p, (x) =>
        [
          `${x.alreadyOpen ? 'Already open' : 'Opened'}: packet ${x.id}, ${x.total} items of ${x.benchmarkName} for ${x.reviewer} (${x.rated} rated).`,
          x.containsPatientText ? 'It contains patient text.' : 'It contains no patient text.',
          'Rate it in the app (Review → Opened packets); then: review packet ratings <packetId> --out <file>',
        ].join('\n'),
      )
    })

  packet
    .command('list')
    .description('packets opened on this machine, with how many items are rated')
    .action((_opts, cmd: Command) => rt.print(cmd, listPackets(rt.context(cmd).db), packetsText))

  packet
    .command('ratings <packetId>')
    .description("write an opened packet's ratings file, bound to the packet's hash")
    .requiredOption('--out <file>', 'the ratings file to write')
    .action((idText: string, opts: { out: string }, cmd: Command) => {
      const r = exportPacketRatings(rt.context(cmd).db, wholeNumberArg(idText, 'packetId', 1), opts.out)
      rt.print(
        cmd,
        r,
        (x) =>
          `Wrote ${x.path}: ratings of ${x.items} of ${x.total} items (packet ${x.packetHash.slice(0, 12)}…, sha256 ${x.hash}). Send it to the coordinator: review packet import <file>`,
      )
    })

  packet
    .command('import <file>')
    .description('import a ratings file made from a packet exported here; refused whole with the reason')
    .action((file: string, _opts, cmd: Command) => {
      rt.print(cmd, importPacketRatings(rt.context(cmd).db, file), importText)
    })
}

function registerExport(packet: Command, rt: CliRuntime): void {
  packet
    .command('export <setId>')
    .description("write one reviewer's blinded items of a review set to a packet file")
    .requiredOption('--reviewer <name>', 'the reviewer the packet is for')
    .requiredOption('--out <file>', 'the packet file to write')
    .option('--yes', 'confirm the export of a packet that contains patient text')
    .action((setText: string, opts: { reviewer: string; out: string; yes?: boolean }, cmd: Command) => {
      const db = rt.context(cmd).db
      const reviewer = findReviewer(db, opts.reviewer)
      if (!reviewer)
        throw new AppError('not_found', `--reviewer: there is no reviewer named "${opts.reviewer}"`)
      const r = exportPacket(db, {
        setId: wholeNumberArg(setText, 'setId', 1),
        reviewerId: reviewer.id,
        path: opts.out,
        confirmed: !!opts.yes,
      })
      rt.print(cmd, r, exportText)
    })
}
