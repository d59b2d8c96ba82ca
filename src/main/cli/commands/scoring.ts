import type { Command } from 'commander'
import { rougePairsFromFile } from '../../scoring/rouge-pairs'
import { table, type CliRuntime } from '../runtime'
import { registerStatsCommands } from './stats'

const fmt = (x: number) => x.toFixed(4)

export function registerScoringCommands(program: Command, rt: CliRuntime): void {
  const stats = program.command('stats').description('statistics and metrics on files, without a run')

  stats
    .command('rouge <pairs>')
    .description(
      'ROUGE-L (stemmed, tokenised as Google rouge-score / HELM) per line of a JSONL file of {"prediction": …, "reference": …}',
    )
    .action(async (pairs: string, _opts, cmd: Command) => {
      const report = await rougePairsFromFile(pairs)
      rt.print(cmd, report, (r) =>
        [
          table(
            ['line', 'precision', 'recall', 'f1'],
            [
              ...r.pairs.map((p) => [
                p.id !== undefined ? `${p.line} (${p.id})` : p.line,
                fmt(p.precision),
                fmt(p.recall),
                fmt(p.f1),
              ]),
              [`mean of ${r.count}`, fmt(r.mean.precision), fmt(r.mean.recall), fmt(r.mean.f1)],
            ],
          ),
        ].join('\n'),
      )
    })

  registerStatsCommands(stats, rt)
}
