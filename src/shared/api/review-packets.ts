import { z } from 'zod'
import { BlindItem, MAX_COMMENT_LENGTH, RATING_MAX, RATING_MIN, RateResult, ReviewSession } from './review'

// Review packets: one reviewer's items of a review set, blinded, in one file for a clinician on
// another workstation (no model, no jury score, no other reviewer's rating). The clinician opens it
// in WardEval there, rates it, and exports a ratings file bound to the packet's hash, which the
// coordinator imports. See src/main/review/packet/.

const Id = z.number().int().positive()
const FilePath = z.string().trim().min(1, 'choose a file').max(4096)

/** What exporting a packet would contain, shown before the user confirms. */
export const PacketPreview = z.object({
  setId: z.number().int(),
  reviewer: z.string(),
  benchmarkName: z.string(),
  items: z.number().int().nonnegative(),
  /** The benchmark's access level: private and gated benchmarks hold patient text. */
  access: z.string(),
  containsPatientText: z.boolean(),
  /** One plain-language sentence on what the packet contains (said before any export). */
  statement: z.string(),
  showsGold: z.boolean(),
  /** A file name to suggest. */
  suggestedName: z.string(),
})
export type PacketPreview = z.infer<typeof PacketPreview>

export const PacketExportResult = PacketPreview.extend({
  path: z.string(),
  hash: z.string(),
  bytes: z.number().int().nonnegative(),
})
export type PacketExportResult = z.infer<typeof PacketExportResult>

/** A packet opened on this machine for rating. */
export const OpenedPacket = z.object({
  id: z.number().int(),
  hash: z.string(),
  setId: z.number().int(),
  reviewer: z.string(),
  benchmarkName: z.string(),
  containsPatientText: z.boolean(),
  total: z.number().int().nonnegative(),
  rated: z.number().int().nonnegative(),
  createdAt: z.string(),
  openedAt: z.string(),
  /** True when this file had been opened before (nothing was added). */
  alreadyOpen: z.boolean(),
})
export type OpenedPacket = z.infer<typeof OpenedPacket>

export const PacketRatingsResult = z.object({
  path: z.string(),
  packetHash: z.string(),
  hash: z.string(),
  items: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
})
export type PacketRatingsResult = z.infer<typeof PacketRatingsResult>

export const PacketImportResult = z.object({
  file: z.string(),
  packetHash: z.string(),
  setId: z.number().int(),
  reviewer: z.string(),
  items: z.number().int().nonnegative(),
  ratings: z.number().int().nonnegative(),
  /** Ratings of this reviewer already in the database that the file replaced. */
  replaced: z.number().int().nonnegative(),
  osUsers: z.array(z.string()),
  /** True when this very ratings file had been imported before (nothing was written). */
  alreadyImported: z.boolean(),
})
export type PacketImportResult = z.infer<typeof PacketImportResult>

const Scores = z.record(z.string(), z.number().int().min(RATING_MIN).max(RATING_MAX))

export const reviewPacketContract = {
  /** What a packet of this reviewer's items of the set would contain (nothing is written). */
  'review:packet-preview': { input: z.object({ setId: Id, reviewerId: Id }).strict(), output: PacketPreview },
  /** Writes the packet; one with patient text needs `confirmed` (the user saw the statement). */
  'review:packet-export': {
    input: z.object({ setId: Id, reviewerId: Id, path: FilePath, confirmed: z.boolean() }).strict(),
    output: PacketExportResult,
  },
  /** Opens a packet file on this machine for rating (checked whole; idempotent). */
  'review:packet-open': { input: z.object({ path: FilePath }).strict(), output: OpenedPacket },
  'review:packets': { input: z.undefined(), output: z.array(OpenedPacket) },
  'review:packet-session': { input: z.object({ packetId: Id }).strict(), output: ReviewSession },
  'review:packet-item': {
    input: z.object({ packetId: Id, position: z.number().int().nonnegative() }).strict(),
    output: BlindItem,
  },
  'review:packet-rate': {
    input: z
      .object({
        packetId: Id,
        position: z.number().int().nonnegative(),
        scores: Scores,
        comment: z.string().max(MAX_COMMENT_LENGTH).default(''),
      })
      .strict(),
    output: RateResult,
  },
  /** Writes the ratings file of an opened packet, bound to the packet's hash. */
  'review:packet-ratings': {
    input: z.object({ packetId: Id, path: FilePath }).strict(),
    output: PacketRatingsResult,
  },
  /** Imports a ratings file made from a packet exported here; refused whole with the reason. */
  'review:packet-import': { input: z.object({ path: FilePath }).strict(), output: PacketImportResult },
  /**
   * A native open or save dialog from the host. Where none exists (browser tests, headless)
   * `available` is false and the user types the path.
   */
  'review:pick-path': {
    input: z
      .object({
        mode: z.enum(['open', 'save']),
        suggestedName: z.string().max(255).optional(),
        probe: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ available: z.boolean(), path: z.string().nullable() }),
  },
} as const
