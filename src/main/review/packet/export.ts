import type { PacketExportResult, PacketPreview } from '../../../shared/api/review-packets'
import { RATING_MAX, RATING_MIN } from '../../../shared/api/review'
import { appendAudit } from '../../audit/log'
import type { Db } from '../../db/open'
import { AppError } from '../../errors'
import { loadBenchmarkVersion } from '../../runs/store'
import { currentOsUser } from '../identity'
import { reviewerOrder } from '../order'
import { blindText } from '../rating'
import { getReviewer } from '../reviewers'
import { loadReviewSet, reviewSetItems } from '../sets'
import { FORMAT_VERSION, itemHash, PACKET_FORMAT, writeHashedFile, type PacketBody } from './format'

/**
 * Exporting a review packet (coordinator side): one reviewer's items of a review set, in that
 * reviewer's own order, blinded. The packet is recorded here by its hash with the run item behind
 * each position, so the ratings file that comes back can be checked item by item and mapped back.
 * Whether the packet holds patient text follows the benchmark's access level (private and gated
 * benchmarks hold patient records); exporting one that does needs the user's confirmation, and
 * every export is written to the audit log (who, which set, how many items, the packet's hash).
 */

interface Built {
  body: PacketBody
  preview: PacketPreview
  runItems: number[]
}

function statementOf(access: string, items: number, benchmark: string): string {
  if (access === 'public')
    return `The packet holds ${items} model outputs on ${benchmark}, a public benchmark: no patient text.`
  return `The packet CONTAINS PATIENT TEXT: ${items} model outputs on ${benchmark}, a ${access} benchmark, with their inputs. Hand it over only as your hospital allows for patient data.`
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'reviewer'
}

function build(db: Db, setId: number, reviewerId: number): Built {
  const set = loadReviewSet(db, setId)
  const reviewer = getReviewer(db, reviewerId)
  const b = loadBenchmarkVersion(db, set.versionId)
  const order = reviewerOrder(reviewSetItems(db, setId), set.seed, set.id, reviewerId)
  const items = order.map((c, position) => {
    const text = blindText(db, set, c.runItemId)
    if (!text)
      throw new AppError(
        'bad_data',
        `review set ${setId}: the output at position ${position} is no longer stored`,
      )
    return { position, hash: itemHash(text), ...text }
  })
  const access = b.manifest.access
  const contains = access !== 'public'
  const statement = statementOf(access, items.length, b.name)
  const body: PacketBody = {
    format: PACKET_FORMAT,
    version: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    set: {
      id: set.id,
      benchmarkId: b.benchmarkId,
      benchmarkName: b.name,
      benchmarkVersion: b.version,
      criteria: set.criteria,
      showsGold: set.showGold,
    },
    reviewer: reviewer.name,
    patientText: { contains, access, statement },
    scale: { min: RATING_MIN, max: RATING_MAX },
    items,
  }
  const preview: PacketPreview = {
    setId: set.id,
    reviewer: reviewer.name,
    benchmarkName: b.name,
    items: items.length,
    access,
    containsPatientText: contains,
    statement,
    showsGold: set.showGold,
    suggestedName: `review-set-${set.id}-${safeName(reviewer.name)}.wardeval-packet.json`,
  }
  return { body, preview, runItems: order.map((c) => c.runItemId) }
}

export function packetPreview(db: Db, setId: number, reviewerId: number): PacketPreview {
  return build(db, setId, reviewerId).preview
}

/**
 * Writes the packet to `path` and records it, in one transaction (no file without its record, no
 * record without its file). A packet with patient text is refused unless `confirmed`.
 */
export function exportPacket(
  db: Db,
  input: { setId: number; reviewerId: number; path: string; confirmed: boolean },
  osUser = currentOsUser(),
): PacketExportResult {
  const { body, preview, runItems } = build(db, input.setId, input.reviewerId)
  if (preview.containsPatientText && !input.confirmed)
    throw new AppError(
      'invalid_input',
      `confirmation: ${preview.statement} Confirm the export (app: the confirmation dialog; CLI: --yes).`,
    )
  const written = db
    .transaction(() =>
      writeHashedFile(input.path, 'packet', body, (hash, bytes) => {
        db.prepare(
          `INSERT INTO review_packets_out (hash, set_id, reviewer_id, items_json, patient_text, os_user, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          hash,
          input.setId,
          input.reviewerId,
          JSON.stringify(runItems.map((id, i) => [id, body.items[i]!.hash])),
          preview.containsPatientText ? 1 : 0,
          osUser,
          body.createdAt,
        )
        appendAudit(db, {
          kind: 'approval',
          actor: osUser,
          outcome: 'review_packet_exported',
          bodySha256: hash,
          bytesSent: bytes,
          detail: `review packet of set ${input.setId} for reviewer ${preview.reviewer}: ${preview.items} items, ${preview.containsPatientText ? `patient text (${preview.access} benchmark), export confirmed` : 'no patient text (public benchmark)'}`,
        })
      }),
    )
    .immediate()
  return { ...preview, path: input.path, hash: written.hash, bytes: written.bytes }
}
