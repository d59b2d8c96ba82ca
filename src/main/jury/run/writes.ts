import { INSERT_RESPONSE_SQL, insertRequestSql, UPSERT_SCORE_SQL } from '../../runs/result-sql'
import type { JuryCriterion } from '../../../shared/benchmarks/pack'
import type { Db } from '../../db/open'
import type { ChatMessage, ChatResult } from '../../models/types'
import {
  CacheKeyPrefixes,
  cacheKeyOf,
  generationOptions,
  type EffectiveGeneration,
} from '../../runs/settings'
import type { JudgeVerdict } from '../retry'
import { failureReason, type ScoreRow, type StoredScore } from './rows'
import type { Judge } from './setup'

/**
 * The scoring pass's reads and writes. Every write is a function the dispatcher's commit queue
 * runs inside a transaction (grouped with others, committed before it is acknowledged).
 */

/** What a judge is asked to generate (HELM: temperature 0, max_tokens 4096). */
export const JUDGE_GENERATION: EffectiveGeneration = {
  temperature: 0,
  maxTokens: 4096,
  stop: [],
  numCtx: null,
}

/** What a judge request records as its settings (the same for every judge call). */
const JUDGE_SETTINGS_JSON = JSON.stringify({ ...generationOptions(JUDGE_GENERATION), json: true })

export interface ItemRow {
  id: number
  model_key: string
  instance_id: number
  input: string
  choices_json: string | null
  references_json: string
  metadata_json: string
  text: string | null
}

export interface StoredVote {
  judge_key: string
  criterion: string
  status: 'valid' | 'failed'
  score: number | null
}

export class ScoreStore {
  private readonly stmts
  /** Cache-key prefixes per judge and digest (a judge call's key is its prompt's hash under one). */
  private readonly prefixes = new CacheKeyPrefixes()

  constructor(db: Db) {
    this.stmts = {
      // Read one item at a time: a run's texts (clinical notes) can be far larger than memory wants.
      item: db.prepare(
        `SELECT ri.id, ri.model_key, ri.instance_id, i.input, i.choices_json, i.references_json, i.metadata_json, r.text
         FROM run_items ri JOIN instances i ON i.id = ri.instance_id LEFT JOIN responses r ON r.id = ri.response_id
         WHERE ri.id = ?`,
      ),
      itemIds: db.prepare(
        `SELECT ri.id FROM run_items ri JOIN instances i ON i.id = ri.instance_id
         WHERE ri.run_id = ? AND ri.status = 'done' AND i.benchmark_version_id = ? AND ri.id > ? ORDER BY ri.id LIMIT ?`,
      ),
      countItems: db.prepare(
        `SELECT COUNT(*) AS n FROM run_items ri JOIN instances i ON i.id = ri.instance_id
         WHERE ri.run_id = ? AND ri.status = 'done' AND i.benchmark_version_id = ?`,
      ),
      scoresOf: db.prepare('SELECT metric, status, value, details_json FROM scores WHERE run_item_id = ?'),
      upsertScore: db.prepare(UPSERT_SCORE_SQL),
      votesOf: db.prepare('SELECT judge_key, criterion, status, score FROM jury_votes WHERE run_item_id = ?'),
      insertJudgeRequest: db.prepare(insertRequestSql('judge')),
      insertJudgeResponse: db.prepare(INSERT_RESPONSE_SQL),
      upsertVote: db.prepare(
        `INSERT INTO jury_votes (run_item_id, judge_key, judge_digest, criterion, score, explanation, status, raw_text, attempts, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(run_item_id, judge_key, criterion) DO UPDATE SET judge_digest = excluded.judge_digest, score = excluded.score,
           explanation = excluded.explanation, status = excluded.status, raw_text = excluded.raw_text,
           attempts = excluded.attempts, created_at = excluded.created_at`,
      ),
    }
  }

  item(id: number): ItemRow {
    return this.stmts.item.get(id) as ItemRow
  }

  /** A page of a benchmark version's completed items, after `afterId`. */
  itemIds(runId: number, versionId: number, afterId: number, limit: number): number[] {
    return (this.stmts.itemIds.all(runId, versionId, afterId, limit) as { id: number }[]).map((r) => r.id)
  }

  countItems(runId: number, versionId: number): number {
    return (this.stmts.countItems.get(runId, versionId) as { n: number }).n
  }

  scoresOf(itemId: number): Map<string, StoredScore> {
    const rows = this.stmts.scoresOf.all(itemId) as (StoredScore & { metric: string })[]
    return new Map(rows.map((s) => [s.metric, s]))
  }

  votesOf(itemId: number): StoredVote[] {
    return this.stmts.votesOf.all(itemId) as StoredVote[]
  }

  scoreWrite(itemId: number, row: ScoreRow): () => number {
    const details = JSON.stringify(row.details)
    return () =>
      this.stmts.upsertScore.run(itemId, row.metric, row.value, row.status, details, new Date().toISOString())
        .changes
  }

  /**
   * Every answer a judge gives is kept as a request (purpose 'judge', the conversation as JSON
   * messages) and its response, with the token counts the server reported: the jury's cost and
   * runtime on the leaderboard come from these rows.
   */
  judgeCallWrite(itemId: number, judge: Judge, messages: ChatMessage[], result: ChatResult): () => number {
    const finished = new Date()
    const prompt = JSON.stringify(messages)
    const digest = result.modelDigest ?? judge.digest
    const key = cacheKeyOf(this.prefixes.of({ digest, key: judge.key }, JUDGE_GENERATION, 'jury'), prompt)
    const started = new Date(finished.getTime() - result.durations.wallMs).toISOString()
    return () => {
      const requestId = this.stmts.insertJudgeRequest.run(
        itemId,
        judge.client.endpoint.id,
        judge.model,
        digest,
        prompt,
        JUDGE_SETTINGS_JSON,
        key,
        started,
      ).lastInsertRowid
      this.stmts.insertJudgeResponse.run(
        requestId,
        result.text,
        result.promptTokens,
        result.completionTokens,
        result.durations.wallMs,
        finished.toISOString(),
      )
      return 1
    }
  }

  /** One judge's votes on one item, one row per criterion (failed votes keep the raw answer). */
  votesWrite(
    itemId: number,
    judge: Judge,
    criteria: readonly JuryCriterion[],
    verdict: JudgeVerdict,
  ): () => number {
    const at = new Date().toISOString()
    const n = verdict.attempts.length
    return () => {
      for (const c of criteria)
        this.stmts.upsertVote.run(itemId, judge.key, judge.digest, c.id, ...voteFields(verdict, c.id), n, at)
      return 1
    }
  }
}

/**
 * What a verdict records for one criterion — score, explanation, status, raw answer: a valid
 * vote's score and explanation, or a failed one's reason with the judge's raw answer.
 */
function voteFields(
  verdict: JudgeVerdict,
  criterion: string,
): [number | null, string, 'valid' | 'failed', string | null] {
  if (verdict.status !== 'valid') return [null, failureReason(verdict, criterion), 'failed', verdict.raw]
  const v = verdict.votes.find((x) => x.criterion === criterion)
  if (!v) throw new Error(`judge verdict without criterion ${criterion}`)
  return [v.score, v.explanation, 'valid', null]
}
