import { Command, Help } from 'commander'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMMAND_GROUPS, commandName, groupsFor, targetCommand } from '../../../src/main/cli/command-index'
import { CliRuntime } from '../../../src/main/cli/runtime'
import { runCliCaptured } from '../../support/cli'

const rt = new CliRuntime({ stdout: () => {}, stderr: () => {}, env: {}, isTTY: false })

/** Every module registered, in index order: the program as it was before commands were lazy. */
async function fullProgram(): Promise<Command> {
  const program = new Command('wardeval')
  for (const g of COMMAND_GROUPS) (await g.load())(program, rt)
  return program
}

describe('the light command index (start-up loads it instead of every command module)', () => {
  it('lists exactly the top-level commands the modules register, with their help term and description', async () => {
    const program = await fullProgram()
    const help = new Help()
    const registered = program.commands.map((c) => ({
      term: help.subcommandTerm(c),
      description: c.description(),
    }))
    expect(COMMAND_GROUPS.flatMap((g) => g.commands)).toEqual(registered)
  })

  it('each module creates the commands its entry lists, and only extends those it names', async () => {
    const program = new Command('wardeval')
    for (const g of COMMAND_GROUPS) {
      const before = new Set(program.commands.map((c) => c.name()))
      ;(await g.load())(program, rt)
      const created = program.commands.map((c) => c.name()).filter((n) => !before.has(n))
      expect(created).toEqual(g.commands.map(commandName))
      for (const name of g.extends ?? []) expect(before.has(name)).toBe(true)
    }
  })

  it('finds the command an argument list names, past the global options and `help`', () => {
    expect(targetCommand([])).toBeNull()
    expect(targetCommand(['--help'])).toBeNull()
    expect(targetCommand(['--db', 'x.db', '--json', 'runs'])).toBe('runs')
    expect(targetCommand(['--db=x.db', 'leaderboard', '--seed', '3'])).toBe('leaderboard')
    expect(targetCommand(['help', 'review'])).toBe('review')
    expect(targetCommand(['help'])).toBe('help')
  })

  it('loads a command with the modules it needs: its creator and those that extend it', () => {
    const loads = (name: string) =>
      groupsFor(name).map((g) => g.commands.map(commandName).join(',') || g.extends)
    expect(loads('verify')).toEqual(['endpoints,egress,models,audit', 'verify'])
    expect(loads('audit')).toEqual(['endpoints,egress,models,audit', 'verify'])
    expect(loads('stats')).toEqual(['stats', ['stats']])
    expect(loads('leaderboard')).toEqual(['leaderboard,prices'])
    expect(loads('nope')).toEqual([])
  })

  it('`wardeval --help` from the index reads as the full program’s help', async () => {
    const lazy = await runCliCaptured(['--help'])
    expect(lazy.code).toBe(0)
    const full = await fullProgram()
    full
      .description(
        'WardEval — evaluate language models on medical tasks (MedHELM), entirely on this machine.',
      )
      .option('--db <file>', 'database file (default: WARDEVAL_DB, else the per-user app-data folder)')
      .option('--json', 'print machine-readable JSON')
    expect(lazy.stdout).toBe(full.helpInformation())
    for (const c of COMMAND_GROUPS.flatMap((g) => g.commands)) expect(lazy.stdout).toContain(c.term)
  })

  it('statistics on files never open (or create) the database', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'wardeval-nodb-')), 'w.db')
    const r = await runCliCaptured(['--db', db, 'stats', 'power', '--baseline', '0.7', '--difference', '0.1'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(existsSync(db)).toBe(false)
  })

  it('a command’s own help and an unknown command work from the index', async () => {
    const own = await runCliCaptured(['leaderboard', '--help'])
    expect(own.code).toBe(0)
    expect(own.stdout).toContain('Usage: wardeval leaderboard [options]')
    expect(own.stdout).toContain('--calibration [id]')
    const viaHelp = await runCliCaptured(['help', 'verify'])
    expect(viaHelp.code).toBe(0)
    expect(viaHelp.stdout).toContain('Usage: wardeval verify [options] <file>')
    const unknown = await runCliCaptured(['leaderbord'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'leaderbord'")
    expect(unknown.stderr).toContain('leaderboard')
  })
})
