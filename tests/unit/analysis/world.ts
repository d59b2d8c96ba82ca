import type { AppContext } from '../../../src/main/app/context'
import { startNewRun } from '../../../src/main/runs/control'
import type { CreateRunInput } from '../../../src/shared/api/runs'
import { startFakeOllama, type FakeChatRequest, type FakeOllama } from '../../support/fake-ollama'
import { openInstances, openManifest } from '../jury-run/helpers'
import { goldOf, importPack, LETTERS, mcInstances, mcManifest } from '../runs/helpers'

/**
 * A small world for the leaderboard, built through the real run engine against the loopback fake
 * server, then given jury scores, runtimes and token counts that the tests compute by hand:
 *
 *   benchmark (category)               alpha      beta            gamma
 *   mc_a  exact_match (decision supp.) 6/6 = 1    3/6 = 0.5       run 1: 0/6, run 4: 3/6 = 0.5
 *   mc_b  exact_match (note gen.)      2/4 = 0.5  4/4 = 1         —
 *   notes jury 1–5 (patient comm.)     4, 4 → 4   2, unscored → 2 3, failed → 3
 *
 * Runs: 1 = mc_a × all three; 2 = mc_b × alpha, beta; 3 = notes × all three; 4 = mc_a × gamma.
 * Runtime per answer: alpha 100 ms, beta 200 ms, gamma 300 ms. Tokens per answer: alpha 1000 in /
 * 100 out, beta 40 / 4, gamma none recorded. The judge ollama/judge-a voted on every notes item;
 * its requests (500 in / 50 out each) are recorded for alpha's two items only.
 */

export const MODELS = ['ollama/alpha', 'ollama/beta', 'ollama/gamma'] as const
export const JUDGE = 'ollama/judge-a'

type Mode = 'gamma-wrong' | 'gamma-half'

function wrong(prompt: string): string {
  return LETTERS[(LETTERS.indexOf(goldOf(prompt) as (typeof LETTERS)[number]) + 1) % 4]!
}

function answer(mode: () => Mode) {
  return (req: FakeChatRequest): string => {
    const p = req.lastUser
    if (/Case \d+:/.test(p)) return `Advice from ${req.model}.`
    const i = Number(/Question (\d+):/.exec(p)?.[1])
    const setB = p.includes('(set b)')
    const right =
      req.model === 'alpha'
        ? !setB || i < 2
        : req.model === 'beta'
          ? setB || i % 2 === 0
          : mode() === 'gamma-half' && i < 3
    return right ? goldOf(p) : wrong(p)
  }
}

export async function startWorldServer(): Promise<{ fake: FakeOllama; setMode(m: Mode): void }> {
  let mode: Mode = 'gamma-wrong'
  const fake = await startFakeOllama({
    models: ['alpha', 'beta', 'gamma', 'judge-a'].map((name) => ({ name })),
    answer: answer(() => mode),
  })
  return { fake, setMode: (m) => (mode = m) }
}

async function run(ctx: AppContext, input: CreateRunInput): Promise<number> {
  const { runId, execution } = await startNewRun(ctx, input)
  const status = await execution.done
  if (status !== 'completed') throw new Error(`run ${runId} ended ${status}`)
  return runId
}

/** Builds the world in `ctx` (whose OLLAMA_HOST points at the world server). */
export async function buildWorld(
  ctx: AppContext,
  dir: string,
  server: { setMode(m: Mode): void },
): Promise<void> {
  server.setMode('gamma-wrong')
  await importPack(ctx, dir, mcManifest('mc_a'), mcInstances(6))
  await importPack(
    ctx,
    dir,
    mcManifest('mc_b', {
      taxonomy: { category: 'clinical_note_generation', subcategory: 'documenting_patient_visits' },
    }),
    mcInstances(4, 'b'),
  )
  await importPack(
    ctx,
    dir,
    {
      ...openManifest('notes', [{ name: 'jury', main: true }]),
      taxonomy: { category: 'patient_communication', subcategory: 'patient_provider_messaging' },
    },
    openInstances(2),
  )
  await run(ctx, { benchmarks: ['mc_a'], models: [...MODELS] })
  await run(ctx, { benchmarks: ['mc_b'], models: ['ollama/alpha', 'ollama/beta'] })
  await run(ctx, { benchmarks: ['notes'], models: [...MODELS] })
  server.setMode('gamma-half')
  await run(ctx, { benchmarks: ['mc_a'], models: ['ollama/gamma'], settings: { useCache: false } })
  fixWorld(ctx)
}

/** Jury scores and votes for run 3, and fixed runtimes and token counts. */
function fixWorld(ctx: AppContext): void {
  const db = ctx.db
  const at = '2026-01-01T00:00:00.000Z'
  db.transaction(() => {
    const setResponses = db.prepare(
      `UPDATE responses SET latency_ms = ?, prompt_tokens = ?, completion_tokens = ?
       WHERE request_id IN (SELECT id FROM requests WHERE model_name = ? AND purpose = 'run')`,
    )
    setResponses.run(100, 1000, 100, 'alpha')
    setResponses.run(200, 40, 4, 'beta')
    setResponses.run(300, null, null, 'gamma')

    const items = db
      .prepare(
        `SELECT ri.id, ri.model_key AS model, i.ordinal FROM run_items ri JOIN instances i ON i.id = ri.instance_id
         WHERE ri.run_id = 3 ORDER BY ri.model_key, i.ordinal`,
      )
      .all() as { id: number; model: string; ordinal: number }[]
    const jury: Record<string, [number | null, 'ok' | 'unscored' | 'failed'][]> = {
      'ollama/alpha': [
        [4, 'ok'],
        [4, 'ok'],
      ],
      'ollama/beta': [
        [2, 'ok'],
        [null, 'unscored'],
      ],
      'ollama/gamma': [
        [3, 'ok'],
        [null, 'failed'],
      ],
    }
    const score = db.prepare(
      `INSERT INTO scores (run_item_id, metric, value, status, details_json, created_at) VALUES (?, 'jury', ?, ?, '{}', ?)`,
    )
    const vote = db.prepare(
      `INSERT INTO jury_votes (run_item_id, judge_key, criterion, score, status, created_at) VALUES (?, ?, 'accuracy', 3, 'valid', ?)`,
    )
    const endpoint = (db.prepare("SELECT id FROM endpoints WHERE name = 'ollama'").get() as { id: number }).id
    const request = db.prepare(
      `INSERT INTO requests (run_item_id, endpoint_id, model_name, prompt, settings_json, cache_key, purpose, started_at)
       VALUES (?, ?, 'judge-a', 'judge prompt', '{}', 'judge', 'judge', ?)`,
    )
    const response = db.prepare(
      `INSERT INTO responses (request_id, text, prompt_tokens, completion_tokens, latency_ms, finished_at) VALUES (?, '{}', 500, 50, 900, ?)`,
    )
    for (const item of items) {
      const [value, status] = jury[item.model]![item.ordinal]!
      score.run(item.id, value, status, at)
      vote.run(item.id, JUDGE, at)
      if (item.model === 'ollama/alpha') {
        const q = request.run(item.id, endpoint, at)
        response.run(q.lastInsertRowid, at)
      }
    }
  })()
}
