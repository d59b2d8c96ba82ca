import type { Db } from '../../src/main/db/open'

/**
 * A large scored run written straight into the database (no model server): one open-ended
 * benchmark with `instances` instances, `models` models, each answer ~1 KB, a jury score and
 * 3 judges × 3 criteria votes per item. Every 50th item's generation failed (no response, no
 * scores); every 7th item has one failed vote. For export tests and bench/export-instances.ts.
 */
export function seedScoredRun(
  db: Db,
  opts: { instances: number; models?: number; runId?: number; modelKeys?: string[]; benchmarkId?: string },
): number {
  const runId = opts.runId ?? 1
  const bench = opts.benchmarkId ?? 'seeded_notes'
  const models = opts.modelKeys ?? Array.from({ length: opts.models ?? 1 }, (_, i) => `ollama/model-${i + 1}`)
  const judges = ['ollama/judge-a', 'ollama/judge-b', 'ollama/judge-c']
  const criteria = ['accuracy', 'completeness', 'clarity']
  const now = '2026-12-05T00:00:00.000Z'
  const manifest = { id: bench, metrics: [{ name: 'jury', main: true }] }
  const answer = 'The patient should continue the current medication and return in two weeks. '.repeat(13)
  db.transaction(() => {
    db.prepare(
      `INSERT OR IGNORE INTO benchmarks (id, name, task_type, access, created_at)
       VALUES (?, 'Seeded notes', 'open_ended', 'private', ?)`,
    ).run(bench, now)
    const v = db
      .prepare(
        `INSERT INTO benchmark_versions (benchmark_id, version, content_hash, manifest_json, source_format, instance_count, imported_at)
         VALUES (?, ?, 'seeded', ?, 'pack', ?, ?)`,
      )
      .run(bench, `run-${runId}`, JSON.stringify(manifest), opts.instances, now).lastInsertRowid
    db.prepare(
      "INSERT INTO runs (id, status, settings_json, seed, created_at) VALUES (?, 'completed', '{}', 0, ?)",
    ).run(runId, now)
    const rm = db.prepare(
      'INSERT INTO run_models (run_id, model_key, model_name, model_digest) VALUES (?, ?, ?, ?)',
    )
    models.forEach((m, i) => rm.run(runId, m, m.slice(7), `sha256:${String(i).padStart(64, '0')}`))
    const inst = db.prepare(
      "INSERT INTO instances (benchmark_version_id, ordinal, ext_id, input, references_json) VALUES (?, ?, ?, 'q', '[]')",
    )
    const item = db.prepare(
      'INSERT INTO run_items (run_id, model_key, instance_id, status, error, response_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    const req = db.prepare(
      `INSERT INTO requests (run_item_id, model_name, prompt, settings_json, cache_key, purpose, started_at)
       VALUES (?, ?, 'Summarize the note.', '{}', 'k', 'run', ?)`,
    )
    const res = db.prepare(
      'INSERT INTO responses (request_id, text, prompt_tokens, completion_tokens, latency_ms, finished_at) VALUES (?, ?, 120, 80, 950, ?)',
    )
    const setResponse = db.prepare('UPDATE run_items SET response_id = ? WHERE id = ?')
    const score = db.prepare(
      "INSERT INTO scores (run_item_id, metric, value, status, details_json, created_at) VALUES (?, 'jury', ?, 'ok', '{}', ?)",
    )
    const vote = db.prepare(
      `INSERT INTO jury_votes (run_item_id, judge_key, criterion, score, explanation, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    let n = 0
    for (let i = 0; i < opts.instances; i++) {
      const instanceId = inst.run(v, i, `case-${i}`).lastInsertRowid
      for (const m of models) {
        n++
        const failed = n % 50 === 0
        const id = item.run(
          runId,
          m,
          instanceId,
          failed ? 'failed' : 'done',
          failed ? 'timeout after 3 attempts' : null,
          null,
          now,
        ).lastInsertRowid
        if (failed) continue
        const q = req.run(id, m.slice(7), now).lastInsertRowid
        setResponse.run(res.run(q, `${answer}#${n}`, now).lastInsertRowid, id)
        score.run(id, 1 + (n % 5), now)
        for (const j of judges)
          for (const c of criteria) {
            const bad = n % 7 === 0 && j === judges[2] && c === criteria[0]
            vote.run(
              id,
              j,
              c,
              bad ? null : 1 + ((n + c.length) % 5),
              bad ? 'No usable answer after 3 attempts' : 'ok',
              bad ? 'failed' : 'valid',
              now,
            )
          }
      }
    }
  })()
  return runId
}
