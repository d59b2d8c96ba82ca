import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PacketImportResult } from '../../../src/shared/api/review-packets'
import { ratePacketItem } from '../../../src/main/review/packet/local'
import { openReviewer } from '../../../src/main/review/reviewers'
import { runCliCaptured } from '../../support/cli'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { BENCHMARK, scoredRun, startFake } from './helpers'

/** `review packet export|open|list|ratings|import` between two database files. */

let hub: TempContext
let ward: TempContext
let fake: FakeOllama

const cli = (db: string, args: string[]) =>
  runCliCaptured(['--db', db, ...args], { env: { OLLAMA_HOST: fake.url } })

beforeAll(async () => {
  fake = await startFake()
  hub = tempContext({ OLLAMA_HOST: fake.url })
  ward = tempContext()
  const runId = await scoredRun(hub, hub.dir, 5)
  openReviewer(hub.db, 'Dr Away')
  const made = await cli(hub.dbPath, [
    'review',
    'create-set',
    '--run',
    String(runId),
    '--benchmark',
    BENCHMARK,
    '--size',
    '6',
    '--show-gold',
  ])
  expect(made.code).toBe(0)
  expect(made.stdout).toMatch(/reviewers see the gold answer/)
}, 60_000)
afterAll(async () => {
  hub.dispose()
  ward.dispose()
  await fake.close()
})

describe('review packet on the command line', () => {
  it('round trip: export (confirmed with --yes), open and list elsewhere, ratings, import', async () => {
    const packet = join(hub.dir, 'p.json')
    const refused = await cli(hub.dbPath, [
      'review',
      'packet',
      'export',
      '1',
      '--reviewer',
      'Dr Away',
      '--out',
      packet,
    ])
    expect(refused.code).toBe(2) // a missing confirmation is a usage error
    expect(refused.stderr).toMatch(/CONTAINS PATIENT TEXT.*Confirm the export .*CLI: --yes/)
    const noSuch = await cli(hub.dbPath, [
      'review',
      'packet',
      'export',
      '1',
      '--reviewer',
      'Dr Nobody',
      '--out',
      packet,
      '--yes',
    ])
    expect(noSuch.stderr).toMatch(/--reviewer: there is no reviewer named "Dr Nobody"/)
    const ok = await cli(hub.dbPath, [
      'review',
      'packet',
      'export',
      '1',
      '--reviewer',
      'Dr Away',
      '--out',
      packet,
      '--yes',
    ])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/CONTAINS PATIENT TEXT/)
    expect(ok.stdout).toMatch(/Wrote review packet .*p\.json \(6 items for Dr Away, sha256 [0-9a-f]{64}\)/)

    const opened = await cli(ward.dbPath, ['review', 'packet', 'open', packet])
    expect(opened.code).toBe(0)
    expect(opened.stdout).toMatch(
      /Opened: packet 1, 6 items of .* for Dr Away \(0 rated\)\.\nIt contains patient text\./,
    )
    expect((await cli(ward.dbPath, ['review', 'packet', 'open', packet])).stdout).toMatch(
      /^Already open: packet 1/,
    )
    for (const position of [0, 1, 2])
      ratePacketItem(
        ward.db,
        { packetId: 1, position, scores: { accuracy: 4, completeness: 3, clarity: 5 }, comment: '' },
        'wardpc',
      )
    expect((await cli(ward.dbPath, ['review', 'packet', 'list'])).stdout).toMatch(
      /1\s+1\s+Dr Away\s+.*3\/6\s+yes/,
    )

    const ratings = join(ward.dir, 'r.json')
    const out = await cli(ward.dbPath, ['review', 'packet', 'ratings', '1', '--out', ratings])
    expect(out.code).toBe(0)
    expect(out.stdout).toMatch(/ratings of 3 of 6 items/)

    const imported = await cli(hub.dbPath, ['--json', 'review', 'packet', 'import', ratings])
    expect(imported.code).toBe(0)
    const r = JSON.parse(imported.stdout) as PacketImportResult
    expect(r).toMatchObject({
      reviewer: 'Dr Away',
      items: 3,
      ratings: 9,
      osUsers: ['wardpc'],
      alreadyImported: false,
    })
    expect((await cli(hub.dbPath, ['review', 'packet', 'import', ratings])).stdout).toMatch(
      /was already imported/,
    )

    // A tampered file: refused whole, exit 1, the reason named.
    const f = JSON.parse(readFileSync(ratings, 'utf8')) as {
      ratings: { items: { scores: Record<string, number> }[] }
    }
    f.ratings.items[0]!.scores.accuracy = 1
    const bad = join(ward.dir, 'bad.json')
    writeFileSync(bad, JSON.stringify(f))
    const refusedImport = await cli(hub.dbPath, ['review', 'packet', 'import', bad])
    expect(refusedImport.code).toBe(1)
    expect(refusedImport.stderr).toMatch(/bad\.json: the ratings file was altered after it was written/)
    // The ward's database does not know the hub's packet: importing there is refused.
    const elsewhere = await cli(ward.dbPath, ['review', 'packet', 'import', ratings])
    expect(elsewhere.code).toBe(1)
    expect(elsewhere.stderr).toMatch(/which was not exported from this database/)
  })

  it('usage errors exit 2', async () => {
    const r = await cli(ward.dbPath, ['review', 'packet', 'ratings', 'x', '--out', 'f'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/packetId: "x" is not a whole number/)
  })
})
