import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson, sha256Hex } from '../../../src/main/audit/chain'
import { exportPacket, packetPreview } from '../../../src/main/review/packet/export'
import { itemHash } from '../../../src/main/review/packet/format'
import { importPacketRatings } from '../../../src/main/review/packet/import'
import {
  exportPacketRatings,
  listPackets,
  openPacket,
  packetItem,
  packetSession,
  ratePacketItem,
} from '../../../src/main/review/packet/local'
import { rateItem } from '../../../src/main/review/rating'
import { reviewAgreement } from '../../../src/main/review/report'
import { openReviewer } from '../../../src/main/review/reviewers'
import { createReviewSet } from '../../../src/main/review/sets'
import { createHandlers } from '../../../src/main/ipc/handlers'
import { createRouter } from '../../../src/main/ipc/router'
import { APP_ORIGIN } from '../../../src/main/security/policy'
import { tempContext, type TempContext } from '../../support/context'
import { callThrough, routerFor } from '../../support/router'
import type { FakeOllama } from '../../support/fake-ollama'
import { BENCHMARK, JUDGES, RUN_MODELS, scoredRun, startFake } from './helpers'

/**
 * A review packet between two databases: the coordinator exports one reviewer's blinded items, a
 * clinician opens the packet in a second database, rates it and exports a ratings file, and the
 * coordinator imports it. Then every way a ratings file (or a packet) can be refused.
 */

let hub: TempContext
let ward: TempContext
let fake: FakeOllama
let setId: number
let awayId: number
let packetPath: string
let ratingsPath: string

const SIZE = 8
const all = (s: number) => ({ accuracy: s, completeness: s, clarity: s })
const ratingRows = () => hub.db.prepare('SELECT COUNT(*) FROM ratings').pluck().get() as number

beforeAll(async () => {
  fake = await startFake()
  hub = tempContext({ OLLAMA_HOST: fake.url })
  ward = tempContext()
  const runId = await scoredRun(hub, hub.dir, 8)
  setId = createReviewSet(hub.db, { runId, benchmarkId: BENCHMARK, size: SIZE, seed: 3, showGold: true })
  awayId = openReviewer(hub.db, 'Dr Away').id
  // Another reviewer's rating at the hub: it must not travel in the packet.
  const other = openReviewer(hub.db, 'Dr Here').id
  rateItem(
    hub.db,
    { setId, reviewerId: other, position: 0, scores: all(2), comment: 'HUB-ONLY-NOTE' },
    'hubuser',
  )
  packetPath = join(hub.dir, 'away.packet.json')
  ratingsPath = join(ward.dir, 'away.ratings.json')
}, 60_000)
afterAll(async () => {
  hub.dispose()
  ward.dispose()
  await fake.close()
})

describe('packet round trip between two databases', () => {
  it('says the packet holds patient text and refuses to export it unconfirmed', () => {
    const preview = packetPreview(hub.db, setId, awayId)
    expect(preview).toMatchObject({
      items: SIZE,
      access: 'private',
      containsPatientText: true,
      showsGold: true,
    })
    expect(preview.statement).toMatch(/CONTAINS PATIENT TEXT/)
    expect(() =>
      exportPacket(hub.db, { setId, reviewerId: awayId, path: packetPath, confirmed: false }),
    ).toThrow(/confirmation: .*CONTAINS PATIENT TEXT.*--yes/)
    expect(hub.db.prepare('SELECT COUNT(*) FROM review_packets_out').pluck().get()).toBe(0)
  })

  it('exports blinded items only, with item hashes and the packet hash, and audits the export', () => {
    const r = exportPacket(hub.db, { setId, reviewerId: awayId, path: packetPath, confirmed: true }, 'coord')
    const text = readFileSync(packetPath, 'utf8')
    for (const hidden of [
      ...RUN_MODELS,
      'model-a',
      'model-b',
      'ollama/',
      ...JUDGES,
      'Dr Here',
      'HUB-ONLY-NOTE',
      'jury_votes',
    ])
      expect(text).not.toContain(hidden)
    const file = JSON.parse(text) as {
      packet: { items: { hash: string; input: string; output: string; gold: string | null }[] }
      sha256: string
    }
    expect(Object.keys(file).sort()).toEqual(['packet', 'sha256'])
    expect(file.sha256).toBe(r.hash)
    expect(sha256Hex(canonicalJson(file.packet))).toBe(r.hash)
    expect(file.packet.items).toHaveLength(SIZE)
    for (const it of file.packet.items) {
      expect(it.hash).toBe(itemHash(it))
      expect(it.gold).toMatch(/reference: rest and drink fluids/)
      expect(Object.keys(it).sort()).toEqual(['gold', 'hash', 'input', 'output', 'position'])
    }
    const audit = hub.db
      .prepare(
        "SELECT kind, actor, body_sha256, detail FROM audit_log WHERE outcome = 'review_packet_exported'",
      )
      .get() as { kind: string; actor: string; body_sha256: string; detail: string }
    expect(audit).toMatchObject({ kind: 'approval', actor: 'coord', body_sha256: r.hash })
    expect(audit.detail).toMatch(/8 items, patient text \(private benchmark\), export confirmed/)
  })

  it('opens the packet in another database and rates it there, blind', () => {
    const opened = openPacket(ward.db, packetPath)
    expect(opened).toMatchObject({ total: SIZE, rated: 0, reviewer: 'Dr Away', setId, alreadyOpen: false })
    expect(openPacket(ward.db, packetPath)).toMatchObject({ id: opened.id, alreadyOpen: true })
    expect(listPackets(ward.db)).toHaveLength(1)
    const first = packetItem(ward.db, opened.id, 0)
    expect(first.gold).toMatch(/reference/)
    expect(first.myRating).toBeNull()
    for (let pos = 0; pos < 6; pos++)
      ratePacketItem(
        ward.db,
        {
          packetId: opened.id,
          position: pos,
          scores: all(1 + (pos % 5)),
          comment: pos === 2 ? 'see note' : '',
        },
        'alice',
      )
    expect(() =>
      ratePacketItem(
        ward.db,
        { packetId: opened.id, position: 1, scores: { accuracy: 3 }, comment: '' },
        'alice',
      ),
    ).toThrow(/no score for completeness, clarity/)
    expect(() =>
      ratePacketItem(ward.db, { packetId: opened.id, position: SIZE, scores: all(3), comment: '' }, 'alice'),
    ).toThrow(/outside packet/)
    const session = packetSession(ward.db, opened.id)
    expect(session).toMatchObject({ total: SIZE, rated: 6, position: 6, firstUnrated: 6 })
    expect(packetItem(ward.db, opened.id, 2).myRating).toEqual({ scores: all(3), comment: 'see note' })
    const out = exportPacketRatings(ward.db, opened.id, ratingsPath)
    expect(out).toMatchObject({ items: 6, total: SIZE, packetHash: opened.hash })
  })

  it('imports the ratings at the coordinator under the packet’s reviewer, with the OS user', () => {
    const before = ratingRows()
    const r = importPacketRatings(hub.db, ratingsPath, 'coord')
    expect(r).toMatchObject({
      reviewer: 'Dr Away',
      setId,
      items: 6,
      ratings: 18,
      replaced: 0,
      osUsers: ['alice'],
      alreadyImported: false,
    })
    expect(ratingRows()).toBe(before + 18)
    const rows = hub.db
      .prepare('SELECT DISTINCT os_user, source FROM ratings WHERE reviewer_id = ?')
      .all(awayId)
    expect(rows).toEqual([{ os_user: 'alice', source: 'packet' }])
    // Position p of the packet is position p of Dr Away's own order at the hub.
    const agreement = reviewAgreement(hub.db, setId)
    expect(agreement.reviewers.find((x) => x.reviewer === 'Dr Away')?.rated).toBe(6)
    expect(agreement.identityWarnings).toEqual([])
    // The same file again writes nothing.
    expect(importPacketRatings(hub.db, ratingsPath, 'coord').alreadyImported).toBe(true)
    expect(ratingRows()).toBe(before + 18)
  })
})

describe('refusals: the whole file, with the reason', () => {
  type RatingsFile = {
    ratings: {
      packetHash: string
      items: { position: number; itemHash: string; scores: Record<string, unknown> }[]
    }
    sha256: string
  }
  const load = () => JSON.parse(readFileSync(ratingsPath, 'utf8')) as RatingsFile
  let n = 0
  /** Writes a changed copy; `rehash` makes its sha256 match the change (a deliberate forgery). */
  function variant(change: (f: RatingsFile) => void, rehash = true): string {
    const f = load()
    change(f)
    if (rehash) f.sha256 = sha256Hex(canonicalJson(f.ratings))
    const path = join(ward.dir, `variant-${n++}.json`)
    writeFileSync(path, JSON.stringify(f))
    return path
  }
  const refused = (path: string, reason: RegExp) => {
    const before = ratingRows()
    const imports = hub.db.prepare('SELECT COUNT(*) FROM review_packet_imports').pluck().get()
    expect(() => importPacketRatings(hub.db, path, 'coord')).toThrow(reason)
    expect(ratingRows()).toBe(before)
    expect(hub.db.prepare('SELECT COUNT(*) FROM review_packet_imports').pluck().get()).toBe(imports)
  }

  it('refuses a file changed after it was written', () => {
    refused(
      variant((f) => (f.ratings.items[0]!.scores.accuracy = 5), false),
      /altered after it was written/,
    )
  })
  it('refuses ratings of another packet', () => {
    refused(
      variant((f) => (f.ratings.packetHash = 'a'.repeat(64))),
      /packet aaaaaaaaaaaa…, which was not exported from this database/,
    )
  })
  it('refuses altered items', () => {
    refused(
      variant((f) => (f.ratings.items[1]!.itemHash = 'b'.repeat(64))),
      /item at position 1: its item hash does not match.*altered/,
    )
    // Ratings moved to another position: the item hash there is another item's.
    refused(
      variant((f) => (f.ratings.items[0]!.position = 7)),
      /item at position 7: its item hash does not match/,
    )
  })
  it('refuses duplicated ratings', () => {
    refused(
      variant((f) => f.ratings.items.push({ ...f.ratings.items[3]! })),
      /item at position 3: rated twice \(duplicated\)/,
    )
  })
  it('refuses out-of-range and non-whole scores, unknown and missing criteria', () => {
    refused(
      variant((f) => (f.ratings.items[2]!.scores.clarity = 6)),
      /item at position 2, clarity: 6 is not a whole number from 1 to 5 \(out of range\)/,
    )
    refused(
      variant((f) => (f.ratings.items[2]!.scores.accuracy = 0)),
      /accuracy: 0 is not a whole number/,
    )
    refused(
      variant((f) => (f.ratings.items[2]!.scores.accuracy = 2.5)),
      /accuracy: 2.5 is not a whole number/,
    )
    refused(
      variant((f) => (f.ratings.items[2]!.scores.accuracy = '4')),
      /accuracy: "4" is not a whole number/,
    )
    refused(
      variant((f) => (f.ratings.items[0]!.scores.tone = 3)),
      /"tone" is not a criterion of the set/,
    )
    refused(
      variant((f) => delete f.ratings.items[0]!.scores.clarity),
      /no score for clarity/,
    )
    refused(
      variant((f) => (f.ratings.items[0]!.position = 99)),
      /position 99: the packet has no such position/,
    )
  })
  it('refuses what is not a ratings file', () => {
    const path = join(ward.dir, 'junk.json')
    writeFileSync(path, '{"ratings": ')
    refused(path, /not a ratings file \(not valid JSON\)/)
    refused(packetPath, /not a ratings file/)
    refused(join(ward.dir, 'missing.json'), /ratings file not found/)
  })
  it('refuses a packet altered after export, or with an altered item', () => {
    type PacketFile = { packet: { items: { output: string; hash: string }[] }; sha256: string }
    const f = JSON.parse(readFileSync(packetPath, 'utf8')) as PacketFile
    f.packet.items[0]!.output = 'changed'
    const changed = join(ward.dir, 'changed.packet.json')
    writeFileSync(changed, JSON.stringify(f))
    expect(() => openPacket(ward.db, changed)).toThrow(/review packet was altered after it was written/)
    f.sha256 = sha256Hex(canonicalJson(f.packet))
    writeFileSync(changed, JSON.stringify(f))
    expect(() => openPacket(ward.db, changed)).toThrow(/item at position 0 does not match its hash/)
    expect(listPackets(ward.db)).toHaveLength(1)
  })
})

describe('packet channels through the router', () => {
  it('validates input, says when no native dialog exists, and asks a host dialog for a path', async () => {
    const router = routerFor(hub)
    const call = <T>(channel: string, input?: unknown) => callThrough<T>(router, channel, input)
    await expect(call('review:packet-export', { setId, reviewerId: awayId, path: '' })).rejects.toThrow(
      /invalid_input/,
    )
    await expect(
      call('review:packet-rate', { packetId: 1, position: 0, scores: { accuracy: 6 } }),
    ).rejects.toThrow(/invalid_input/)
    expect(await call('review:pick-path', { mode: 'save', probe: true })).toEqual({
      available: false,
      path: null,
    })
    const asked: unknown[] = []
    const hosted = createRouter(
      createHandlers(hub, {
        pickPath: async (o) => {
          asked.push(o)
          return '/chosen/file.json'
        },
      }),
      { trustedOrigins: [APP_ORIGIN] },
    )
    const r = await callThrough(hosted, 'review:pick-path', { mode: 'save', suggestedName: 'x.json' })
    expect(r).toEqual({ available: true, path: '/chosen/file.json' })
    expect(asked).toEqual([{ mode: 'save', suggestedName: 'x.json' }])
    const preview = await call<{ containsPatientText: boolean; suggestedName: string }>(
      'review:packet-preview',
      {
        setId,
        reviewerId: awayId,
      },
    )
    expect(preview).toMatchObject({
      containsPatientText: true,
      suggestedName: `review-set-${setId}-Dr-Away.wardeval-packet.json`,
    })
  })

  it('writes a packet only where the user chose in a save dialog, or inside the exports folder', async () => {
    const call = <T>(router: ReturnType<typeof routerFor>, channel: string, input?: unknown) =>
      callThrough<T>(router, channel, input)
    const plain = routerFor(hub)
    const outside = join(tmpdir(), `wardeval-outside-${process.pid}.json`)
    const request = (path: string) => ({ setId, reviewerId: awayId, path, confirmed: true })
    await expect(call(plain, 'review:packet-export', request(outside))).rejects.toThrow(/forbidden/)
    expect(existsSync(outside)).toBe(false)
    await call(plain, 'review:packet-export', request(join(hub.dataDir, 'exports', 'p.json')))
    expect(existsSync(join(hub.dataDir, 'exports', 'p.json'))).toBe(true)
    // A path chosen in the host's save dialog is writable from then on.
    const chosen = join(mkdtempSync(join(tmpdir(), 'wardeval-chosen-')), 'away.json')
    const hosted = createRouter(createHandlers(hub, { pickPath: async () => chosen }), {
      trustedOrigins: [APP_ORIGIN],
    })
    await call(hosted, 'review:pick-path', { mode: 'save' })
    await call(hosted, 'review:packet-export', request(chosen))
    expect(existsSync(chosen)).toBe(true)
  })
})
