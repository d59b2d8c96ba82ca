import type { Command } from 'commander'
import type { CliRuntime } from './runtime'

/** What a command module exports: it adds its commands (with their actions) to the program. */
export type RegisterCommands = (program: Command, rt: CliRuntime) => void

/** A top-level command as `wardeval --help` lists it, known without loading its module. */
export interface CommandSummary {
  /** As commander's help prints it: name, `[options]` if it has options, its arguments. */
  term: string
  description: string
}

/**
 * One command module, described lightly. Start-up imports only this table (no core module, no
 * zod, no SQLite); a module is imported when one of its commands runs or its help is asked for.
 * `commands` lists the top-level commands the module creates; `extends` the ones created by an
 * earlier module that it adds subcommands to (`audit verify` extends `audit` of models.ts).
 *
 * To add a command module: write `commands/<name>.ts` exporting its register function (import
 * what its actions need at the top, as usual — the module itself is the lazy unit), then add one
 * entry below. tests/unit/cli/command-index.test.ts fails if `term` or `description` drift from
 * what the module registers.
 */
export interface CommandGroup {
  load: () => Promise<RegisterCommands>
  commands: readonly CommandSummary[]
  extends?: readonly string[]
}

/** In the order the commands are registered (and listed by `wardeval --help`). */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    load: async () => (await import('./commands/app')).registerAppCommands,
    commands: [
      { term: 'version', description: 'print the WardEval version' },
      { term: 'db', description: 'the WardEval database' },
    ],
  },
  {
    load: async () => (await import('./commands/benchmarks')).registerBenchmarksCommands,
    commands: [
      {
        term: 'import [options] <format> <path>',
        description:
          'import a benchmark from a local file or folder (all or nothing); prints its id, instance count and content hash',
      },
      {
        term: 'benchmarks',
        description: 'the benchmarks in the database (list, show, instances, delete, catalog, formats)',
      },
      {
        term: 'taxonomy',
        description: 'the MedHELM taxonomy with the loaded benchmarks covering it; local task edits',
      },
    ],
  },
  {
    load: async () => (await import('./commands/models')).registerModelsCommands,
    commands: [
      {
        term: 'endpoints',
        description: 'model servers: local Ollama and approved OpenAI-compatible servers',
      },
      { term: 'egress', description: 'the egress policy: loopback only, plus explicit approvals' },
      {
        term: 'models [options]',
        description: 'models of every endpoint, with digests (asks each endpoint; each request is audited)',
      },
      {
        term: 'audit [options]',
        description: 'the audit log of everything sent off this process, newest first',
      },
    ],
  },
  {
    load: async () => (await import('./commands/audit')).registerAuditCommands,
    extends: ['audit'],
    commands: [
      {
        term: 'verify [options] <file>',
        description:
          'check a signed file (a report, a run manifest with its .sig, an anchor): what was signed, when, by whom',
      },
    ],
  },
  {
    load: async () => (await import('./commands/scoring')).registerScoringCommands,
    commands: [{ term: 'stats', description: 'statistics and metrics on files, without a run' }],
  },
  {
    load: async () => (await import('./commands/runs')).registerRunsCommands,
    commands: [
      {
        term: 'run [options]',
        description:
          'evaluate models on benchmarks (runs in the foreground; Ctrl+C pauses). Subcommands: resume, show, pause, cancel, manifest',
      },
      { term: 'runs', description: 'every run, newest first' },
    ],
  },
  {
    load: async () => (await import('./commands/score')).registerScoreCommands,
    commands: [
      {
        term: 'score [options] <runId>',
        description:
          "compute every metric of each benchmark's manifest for a run's completed items, with the LLM jury and embedding similarity; resumable (what is stored is not asked again)",
      },
      { term: 'jury', description: 'the LLM jury: its settings, its votes, judge agreement' },
    ],
  },
  {
    load: async () => (await import('./commands/leaderboard')).registerLeaderboardCommands,
    commands: [
      {
        term: 'leaderboard [options]',
        description:
          "models ranked by MedHELM's mean win rate over benchmarks, with macro-averages, runtime and cost (default: each model × benchmark's latest scored run)",
      },
      {
        term: 'prices',
        description: 'prices per 1M input and output tokens per model key, for the leaderboard’s cost',
      },
    ],
  },
  {
    load: async () => (await import('./commands/review')).registerReviewCommands,
    commands: [
      {
        term: 'review',
        description: 'blind clinician review: review sets, ratings, jury–clinician agreement',
      },
    ],
  },
  {
    load: async () => (await import('./commands/export')).registerExportCommands,
    commands: [
      {
        term: 'export',
        description:
          'results for analysts: a leaderboard (CSV, JSON), a run’s per-instance results (CSV, JSONL), HELM-shaped statistics',
      },
    ],
  },
  {
    load: async () => (await import('./commands/report')).registerReportCommands,
    commands: [
      {
        term: 'report [options]',
        description:
          'a signed, self-contained report for a governance committee (HTML or PDF by the file extension): summary, scope, coverage, leaderboard with intervals, cost, jury, clinician agreement, privacy, limitations',
      },
    ],
  },
  {
    load: async () => (await import('./commands/agreement-stats')).registerAgreementStatsCommands,
    extends: ['stats'],
    commands: [],
  },
]

export function commandName(summary: CommandSummary): string {
  return summary.term.split(' ')[0]!
}

/**
 * The groups that `name` needs, in registration order: those that create or extend it, and the
 * creators of what those extend (`verify` lives in audit.ts, which extends models.ts's `audit`).
 */
export function groupsFor(name: string): CommandGroup[] {
  const creates = (g: CommandGroup, n: string) => g.commands.some((c) => commandName(c) === n)
  const direct = COMMAND_GROUPS.filter((g) => creates(g, name) || (g.extends ?? []).includes(name))
  const base = direct.flatMap((g) => g.extends ?? [])
  return COMMAND_GROUPS.filter((g) => direct.includes(g) || base.some((n) => creates(g, n)))
}

/**
 * The top-level command an argv names (skipping the global options; `help <cmd>` names cmd), or
 * null for none (`wardeval`, `wardeval --help`).
 */
export function targetCommand(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--db') i++
    else if (a === '--') return argv[i + 1] ?? null
    else if (!a.startsWith('-')) return a === 'help' && argv[i + 1] ? argv[i + 1]! : a
  }
  return null
}
