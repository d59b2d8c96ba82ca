/**
 * Leaderboard uncertainty speed: `npx tsx bench/leaderboard-bootstrap.ts [--models 20]
 * [--benchmarks 37] [--instances 1000] [--resamples 2000]`
 *
 * Builds a synthetic per-instance score matrix (half the benchmarks 0/1, half jury-like 1–5) and
 * times the leaderboard bootstrap — every cell's mean, HELM win rates, macro-averages (overall and
 * per category) and ranks in each resample — then the pairwise comparisons (exact McNemar or
 * sign-flip permutation on every pair of models on every benchmark and category). Prints seconds;
 * nothing is asserted. The target: the bootstrap under 5 s on 2 cores. The cell means run on
 * one worker thread per core (as in the app); `--single` also times it on one thread.
 */
import { cpus, loadavg } from 'node:os'
import { sourceWorkerScripts } from '../src/main/app/worker-scripts'
import { parallelCellMeans } from '../src/main/analysis/bootstrap-parallel'
import { pairwiseComparisons } from '../src/main/analysis/pairwise'
import type { ScoreMatrix } from '../src/main/analysis/score-matrix'
import { arg } from './support'
import { bootstrapSteps, runSteps } from '../src/main/analysis/uncertainty'
import { seededRng } from '../src/main/stats/random'

const M = arg('--models', 20)
const C = arg('--benchmarks', 37)
const N = arg('--instances', 1000)
const B = arg('--resamples', 2000)

function synthetic(): ScoreMatrix {
  const rng = seededRng(1, 'bench-data')
  const models = Array.from({ length: M }, (_, m) => `ollama/model-${m}`)
  const columns = Array.from({ length: C }, (_, c) => {
    const binary = c % 2 === 0
    const values = models.map((_, m) => {
      const skill = 0.4 + (0.4 * m) / M
      return Float64Array.from({ length: N }, () =>
        binary
          ? rng.next() < skill
            ? 1
            : 0
          : 1 + Math.round(4 * Math.min(1, Math.max(0, skill + (rng.next() - 0.5) / 2))),
      )
    })
    return {
      key: `bench-${c}:${binary ? 'exact_match' : 'jury'}`,
      models: models.map((_, m) => m),
      values,
      paired: true,
      rescale: !binary,
      binary,
      group: `category-${c % 5}`,
    }
  })
  return { models, columns }
}

async function main(): Promise<void> {
  const matrix = synthetic()
  console.log(
    `${M} models × ${C} benchmarks × ${N} instances, ${B} resamples; ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`,
  )
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} (other work on the machine slows every figure)`,
  )
  let t = performance.now()
  const cellMeans = await parallelCellMeans(matrix, {
    seed: 1,
    resamples: B,
    script: sourceWorkerScripts().bootstrap!,
  })
  const boot = runSteps(bootstrapSteps(matrix, { resamples: B, seed: 1, cellMeans }))
  const bootS = (performance.now() - t) / 1000
  console.log(
    `bootstrap on ${cpus().length} worker threads (cells, win rates, macro-averages, ranks): ${bootS.toFixed(2)} s`,
  )
  if (process.argv.includes('--single')) {
    t = performance.now()
    const one = runSteps(bootstrapSteps(matrix, { resamples: B, seed: 1 }))
    console.log(
      `bootstrap on one thread: ${((performance.now() - t) / 1000).toFixed(2)} s (same result: ${one.rank[0]!.every((x, i) => x === boot.rank[0]![i])})`,
    )
  }
  t = performance.now()
  const pairs = pairwiseComparisons(matrix, boot, {
    seed: 1,
    adjust: 'holm',
    columnName: (k) => k,
    groupName: (g) => g,
  })
  const pairS = (performance.now() - t) / 1000
  console.log(`pairwise comparisons (${pairs.length}, Holm-adjusted): ${pairS.toFixed(2)} s`)
  console.log(`total: ${(bootS + pairS).toFixed(2)} s`)
}

void main()
