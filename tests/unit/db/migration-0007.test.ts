import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { columns, databaseBefore, insertRatedRun, migrateThrough } from './migration-steps'

const REVIEW_PACKETS = MIGRATIONS.find((m) => m.name === 'review_packets')!.version

describe('migration 0007 (review packets and reviewer identity)', () => {
  it('adds the OS user and source of ratings, show_gold, packets and the last reviewer, keeping old ratings', () => {
    const db = databaseBefore(REVIEW_PACKETS)
    insertRatedRun(db)
    db.exec(`
      INSERT INTO review_sets (id, run_id, benchmark_version_id, size, seed, criteria_json, created_at) VALUES (1, 1, 1, 1, 0, '[]', 'x');
    `)
    migrateThrough(db, REVIEW_PACKETS)
    expect(columns(db, 'ratings')).toEqual(expect.arrayContaining(['os_user', 'source']))
    // Old ratings: entered in the app, by an unknown OS user; old sets hide the gold answer.
    expect(db.prepare('SELECT score, os_user, source FROM ratings').get()).toEqual({
      score: 4,
      os_user: null,
      source: 'app',
    })
    expect(db.prepare('SELECT show_gold FROM review_sets').pluck().get()).toBe(0)
    expect(() => db.exec("UPDATE ratings SET source = 'email'")).toThrow(/CHECK constraint/)
    expect(() => db.exec('UPDATE review_sets SET show_gold = 2')).toThrow(/CHECK constraint/)

    db.exec(`INSERT INTO review_packets_out (hash, set_id, reviewer_id, items_json, patient_text, os_user, created_at)
             VALUES ('h1', 1, 1, '[[1,"x"]]', 1, 'u', 'x')`)
    db.exec(
      "INSERT INTO review_packet_imports (ratings_hash, packet_hash, items, os_user, imported_at) VALUES ('r1', 'h1', 1, 'u', 'x')",
    )
    expect(() =>
      db.exec(
        "INSERT INTO review_packet_imports (ratings_hash, packet_hash, items, os_user, imported_at) VALUES ('r2', 'nope', 1, 'u', 'x')",
      ),
    ).toThrow(/FOREIGN KEY/)
    db.exec("INSERT INTO review_packets_in (id, hash, header_json, opened_at) VALUES (1, 'h1', '{}', 'x')")
    db.exec(
      "INSERT INTO review_packet_items (packet_id, position, item_hash, input, output) VALUES (1, 0, 'i', 'in', 'out')",
    )
    db.exec(
      "INSERT INTO review_packet_ratings (packet_id, position, criterion, score, os_user, rated_at) VALUES (1, 0, 'accuracy', 5, 'u', 'x')",
    )
    expect(() =>
      db.exec(
        "INSERT INTO review_packet_ratings (packet_id, position, criterion, score, os_user, rated_at) VALUES (1, 0, 'clarity', 6, 'u', 'x')",
      ),
    ).toThrow(/CHECK constraint/)
    expect(() =>
      db.exec(
        "INSERT INTO review_packet_ratings (packet_id, position, criterion, score, os_user, rated_at) VALUES (1, 3, 'clarity', 3, 'u', 'x')",
      ),
    ).toThrow(/FOREIGN KEY/)
    expect(() =>
      db.exec("INSERT INTO review_packets_in (hash, header_json, opened_at) VALUES ('h1', '{}', 'x')"),
    ).toThrow(/UNIQUE/)
    db.exec("INSERT INTO review_last_reviewer (id, reviewer_id, os_user, chosen_at) VALUES (1, 1, 'u', 'x')")
    expect(() =>
      db.exec(
        "INSERT INTO review_last_reviewer (id, reviewer_id, os_user, chosen_at) VALUES (2, 1, 'u', 'x')",
      ),
    ).toThrow(/CHECK constraint/)
    // Removing an opened packet removes its items and ratings; removing a set removes its exported packets.
    db.exec('DELETE FROM review_packets_in')
    expect(db.prepare('SELECT COUNT(*) FROM review_packet_ratings').pluck().get()).toBe(0)
    db.exec('DELETE FROM review_sets')
    expect(db.prepare('SELECT COUNT(*) FROM review_packet_imports').pluck().get()).toBe(0)
  })
})
