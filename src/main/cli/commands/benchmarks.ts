import { formatBytes } from '../../../shared/format'
import type { Command } from 'commander'
import type { AppContext } from '../../app/context'
import type { ImportRequest, TaxonomyView } from '../../../shared/api/benchmarks'
import { PUBLISHED_FORMATS } from '../../benchmarks/importers/published/formats'
import {
  benchmarkUsage,
  deleteBenchmark,
  getBenchmark,
  instancesPage,
  listBenchmarks,
} from '../../benchmarks/queries'
import { loadResources } from '../../benchmarks/resources'
import { ensureSamples, restoreSamples } from '../../benchmarks/samples'
import { addTask, mapTask, removeTask, taxonomyView, updateTask } from '../../benchmarks/taxonomy'
import { table, usageError, type CliRuntime } from '../runtime'

/** Manifest settings a table import takes from flags (option name → settings key). */
const SETTING_FLAGS: [flag: string, key: string, help: string][] = [
  [
    '--catalog <id>',
    'catalog',
    'take name, placement, task type, metric and prompt from this MedHELM catalog entry',
  ],
  ['--name <name>', 'name', 'benchmark name (default: the file name)'],
  ['--version <version>', 'version', 'version label (default "1"; packs: the manifest’s)'],
  ['--subcategory <id>', 'subcategory', 'taxonomy subcategory id or name (see `taxonomy`)'],
  ['--task <task>', 'task', 'taxonomy task id or name within the subcategory'],
  ['--task-type <type>', 'taskType', 'multiple_choice | numeric | sql | classification | open_ended'],
  ['--access <access>', 'access', 'public | gated | private (default private)'],
  ['--metric <metric>', 'metric', 'main metric (default by task type)'],
  ['--instructions <text>', 'instructions', 'prompt instructions'],
  ['--description <text>', 'description', 'what the benchmark measures'],
  ['--license <license>', 'license', 'license of the data'],
  [
    '--split <split>',
    'split',
    'which split of a published dataset to import, where it has several (head-qa: train, dev, test)',
  ],
]

function renderTaxonomy(v: TaxonomyView): string {
  const lines: string[] = [
    `${v.title}`,
    `Covered: ${v.totals.coveredSubcategories}/${v.totals.subcategories} subcategories, ${v.totals.coveredTasks}/${v.totals.tasks} known tasks (of ${v.tasksClaimed} in the paper); ${v.totals.loadedBenchmarks} benchmarks, ${v.totals.instances} instances loaded.`,
    '',
  ]
  for (const c of v.categories) {
    lines.push(`${c.name} [${c.id}]`)
    for (const s of c.subcategories) {
      const mark = s.covered ? '■' : '□'
      lines.push(
        `  ${mark} ${s.name} [${s.id}] — ${s.covered ? `${s.loadedBenchmarkCount} loaded, ${s.instanceCount} instances` : 'not covered'}`,
      )
      for (const b of s.benchmarks)
        lines.push(
          `      ${b.loaded ? '✓' : '·'} ${b.id} (${b.access}${b.inCatalog ? '' : ', local'})${b.loaded ? `: ${b.instanceCount} instances, version ${b.version}${b.sample ? ' (sample)' : ''}` : ''}`,
        )
      for (const t of s.tasks)
        lines.push(
          `      task ${t.covered ? '✓' : '·'} ${t.name} [${t.id}${t.origin === 'local' ? ', local' : t.edited ? ', edited' : ''}]${t.benchmarkIds.length ? ` ← ${t.benchmarkIds.join(', ')}` : ''}`,
        )
    }
  }
  return lines.join('\n')
}

export function registerBenchmarksCommands(program: Command, rt: CliRuntime): void {
  // import <format> <path> ---------------------------------------------------------------------
  const imp = program
    .command('import')
    .description(
      'import a benchmark from a local file or folder (all or nothing); prints its id, instance count and content hash',
    )
    .argument('<format>', `pack, csv, tsv, jsonl, or a published dataset (${PUBLISHED_FORMATS.join(', ')})`)
    .argument('<path>', 'the file or folder to import')
    .option('--benchmark <id>', 'benchmark id (overrides the manifest’s or the file name)')
    .option(
      '--map <mapping>',
      'column mapping for csv/tsv/jsonl: input=col[+col],reference=col[|col],id=col,choices=a|b|c,split=col,metadata=x|y',
    )
  for (const [flag, , help] of SETTING_FLAGS) imp.option(flag, help)
  imp.action(async (format: string, path: string, opts: Record<string, string | undefined>, cmd: Command) => {
    const settings: Record<string, string> = {}
    for (const [flag, key] of SETTING_FLAGS) {
      const optName = flag
        .slice(2, flag.indexOf(' '))
        .replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())
      const value = opts[optName]
      if (value !== undefined) settings[key] = value
    }
    const req: ImportRequest = { format, path, settings }
    if (opts.benchmark) req.benchmarkId = opts.benchmark
    if (opts.map) req.map = (await import('../../benchmarks/importers/tabular')).parseMapSpec(opts.map)
    const showProgress = rt.io.isTTY && !rt.globals(cmd).json
    // The import pipeline (workers, staging, hashing) is loaded by this command only. The file is
    // read while the database opens: the program leaves opening it to this command (program.ts).
    const { runImport, startImport } = await import('../../benchmarks/import')
    const started = startImport(rt.host(), req, rt.takeImportWorker())
    let ctx: AppContext
    try {
      await started.handedOver // before opening blocks this thread for a while
      ctx = await rt.open(cmd)
      await ensureSamples(ctx)
    } catch (e) {
      started.abandon()
      throw e
    }
    const result = await runImport(ctx, req, {
      started,
      onWait: (message) => rt.io.stderr(`${showProgress ? '\n' : ''}${message}\n`),
      onWarning: (message) => rt.io.stderr(`${showProgress ? '\n' : ''}warning: ${message}\n`),
      onProgress: showProgress
        ? ({ bytes, totalBytes, instances }) =>
            rt.io.stderr(
              `\rreading ${formatBytes(bytes)}${totalBytes ? ` of ${formatBytes(totalBytes)}` : ''} · ${instances.toLocaleString('en-US')} instances   `,
            )
        : undefined,
    })
    if (showProgress) rt.io.stderr('\n')
    rt.print(cmd, result, (r) =>
      [
        `${r.alreadyImported ? 'Already imported (nothing written)' : 'Imported'}: ${r.benchmarkId} (${r.name}) version ${r.version}`,
        `Instances: ${r.instanceCount}`,
        `Hash:      sha256:${r.contentHash}`,
      ].join('\n'),
    )
  })

  // benchmarks ---------------------------------------------------------------------------------
  const bm = program
    .command('benchmarks')
    .description('the benchmarks in the database (list, show, instances, delete, catalog, formats)')
  bm.command('list', { isDefault: true })
    .description('every benchmark: id, name, subcategory, instances, hash')
    .action(async (_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      await ensureSamples(ctx)
      const list = listBenchmarks(ctx.db, loadResources(ctx.resourcesDir))
      rt.print(cmd, list, (l) =>
        l.length === 0
          ? 'No benchmarks yet. Import one: wardeval import <format> <path> (see `wardeval import --help`).'
          : table(
              ['id', 'name', 'subcategory', 'version', 'instances', 'hash'],
              l.map((b) => [
                b.id,
                b.name + (b.sample ? ' (sample)' : ''),
                b.subcategoryName ?? b.subcategoryId,
                b.latest.version,
                b.latest.instanceCount,
                b.latest.contentHash.slice(0, 16),
              ]),
            ),
      )
    })
  bm.command('show')
    .description('one benchmark: versions and manifest')
    .argument('<id>')
    .action((id: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      const d = getBenchmark(ctx.db, loadResources(ctx.resourcesDir), id)
      rt.print(cmd, d, (b) =>
        [
          `${b.name} [${b.id}] — ${b.taskType}, ${b.access}, ${b.subcategoryName ?? ''}`,
          b.description,
          '',
          table(
            ['version', 'instances', 'format', 'file', 'imported', 'hash'],
            b.versions.map((v) => [
              v.version,
              v.instanceCount,
              v.sourceFormat,
              v.sourceName,
              v.importedAt,
              v.contentHash,
            ]),
          ),
        ].join('\n'),
      )
    })
  bm.command('instances')
    .description('browse the instances of a benchmark (latest version unless --version)')
    .argument('<id>')
    .option('--version <version>')
    .option('--offset <n>', 'first instance (0-based)', '0')
    .option('--limit <n>', 'how many (1–500)', '20')
    .option('--search <text>', 'only instances whose id, input or references contain this text')
    .action(
      (
        id: string,
        opts: { version?: string; offset: string; limit: string; search?: string },
        cmd: Command,
      ) => {
        const offset = Number(opts.offset)
        const limit = Number(opts.limit)
        if (!Number.isInteger(offset) || offset < 0) throw usageError('--offset must be a whole number ≥ 0')
        if (!Number.isInteger(limit) || limit < 1 || limit > 500)
          throw usageError('--limit must be between 1 and 500')
        const ctx = rt.context(cmd)
        const page = instancesPage(ctx.db, {
          benchmarkId: id,
          version: opts.version,
          offset,
          limit,
          search: opts.search,
        })
        rt.print(cmd, page, (p) =>
          [
            `${p.benchmarkId} version ${p.version}: instances ${p.rows.length ? `${p.offset + 1}–${p.offset + p.rows.length}` : 'none'} of ${p.total}`,
            table(
              ['#', 'id', 'input', 'references'],
              p.rows.map((r) => [
                r.ordinal + 1,
                r.id,
                r.input.replace(/\s+/g, ' ').slice(0, 70),
                r.references.join(' | ').slice(0, 30),
              ]),
            ),
          ].join('\n'),
        )
      },
    )
  bm.command('usage')
    .description('the runs and review sets that use a benchmark (they keep it from being deleted)')
    .argument('<id>')
    .action((id: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      rt.print(cmd, benchmarkUsage(ctx.db, id), (u) =>
        u.runs.length === 0 && u.reviewSets.length === 0
          ? `No run or review set uses ${id}: it can be deleted.`
          : [
              table(
                ['run', 'name', 'status', 'created', 'models'],
                u.runs.map((r) => [r.id, r.name, r.status, r.createdAt, r.models.join(', ')]),
              ),
              ...(u.reviewSets.length
                ? [
                    '',
                    table(
                      ['review set', 'run', 'items', 'created'],
                      u.reviewSets.map((r) => [r.id, r.runId, r.size, r.createdAt]),
                    ),
                  ]
                : []),
            ].join('\n'),
      )
    })
  bm.command('delete')
    .description('delete a benchmark with all its versions and instances (refused while runs use it)')
    .argument('<id>')
    .action((id: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      rt.print(cmd, { deleted: deleteBenchmark(ctx.db, id), id }, (r) => `Deleted ${r.id}`)
    })
  bm.command('catalog')
    .description("MedHELM's catalog: the paper's 35 benchmarks plus MedQA and MedMCQA")
    .action((_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      const cat = loadResources(ctx.resourcesDir).catalog.benchmarks
      rt.print(cmd, cat, (c) =>
        table(
          ['id', 'name', 'subcategory', 'task type', 'main metric', 'access'],
          c.map((b) => [b.id, b.name, b.subcategory, b.taskType, b.mainMetric.metric, b.access]),
        ),
      )
    })
  bm.command('formats')
    .description('the formats `import` understands')
    .action(async (_opts, cmd: Command) => {
      const { importerInfos } = await import('../../benchmarks/importers')
      rt.print(cmd, importerInfos(), (l) =>
        table(
          ['format', 'kind', 'expects'],
          l.map((i) => [i.format, i.kind, i.expects]),
        ),
      )
    })
  bm.command('restore-samples')
    .description('re-install the bundled sample benchmarks that are missing')
    .action(async (_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      const restored = await restoreSamples(ctx)
      rt.print(cmd, { restored }, (r) =>
        r.restored.length ? `Restored: ${r.restored.join(', ')}` : 'Every sample is already loaded.',
      )
    })

  // taxonomy -----------------------------------------------------------------------------------
  const tx = program
    .command('taxonomy')
    .description('the MedHELM taxonomy with the loaded benchmarks covering it; local task edits')
  tx.command('show', { isDefault: true })
    .description('every category, subcategory and task with the loaded benchmarks that cover it')
    .action(async (_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      await ensureSamples(ctx)
      rt.print(cmd, taxonomyView(ctx.db, loadResources(ctx.resourcesDir)), renderTaxonomy)
    })
  const printTask = (cmd: Command, t: { id: string; name: string }, verb: string) =>
    rt.print(cmd, t, (x) => `${verb} task ${x.id}: ${x.name}`)
  tx.command('add-task')
    .description('add a task to a subcategory (stored locally)')
    .argument('<subcategory>', 'subcategory id')
    .argument('<name>', 'task name')
    .action((sub: string, name: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      printTask(cmd, addTask(ctx.db, loadResources(ctx.resourcesDir), sub, name), 'Added')
    })
  tx.command('rename-task')
    .description('rename a task (a shipped task gets a local override; the shipped data is never changed)')
    .argument('<task>', 'task id')
    .argument('<name>', 'new name')
    .action((task: string, name: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      printTask(cmd, updateTask(ctx.db, loadResources(ctx.resourcesDir), task, { name }), 'Renamed')
    })
  tx.command('move-task')
    .description('move a task to another subcategory')
    .argument('<task>', 'task id')
    .argument('<subcategory>', 'subcategory id')
    .action((task: string, sub: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      printTask(
        cmd,
        updateTask(ctx.db, loadResources(ctx.resourcesDir), task, { subcategoryId: sub }),
        'Moved',
      )
    })
  tx.command('remove-task')
    .description('remove a local task, or undo the local edits of a shipped one')
    .argument('<task>', 'task id')
    .action((task: string, _opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      rt.print(cmd, { removed: removeTask(ctx.db, loadResources(ctx.resourcesDir), task), task }, (r) =>
        r.removed ? `Removed ${r.task}` : `${r.task} had no local edits`,
      )
    })
  tx.command('map-task')
    .description('map a task to a benchmark (catalog or loaded id) that exercises it')
    .argument('<task>', 'task id')
    .argument('<benchmark>', 'benchmark id')
    .option('--unmap', 'remove the mapping instead')
    .action((task: string, benchmark: string, opts: { unmap?: boolean }, cmd: Command) => {
      const ctx = rt.context(cmd)
      const t = mapTask(ctx.db, loadResources(ctx.resourcesDir), task, benchmark, !opts.unmap)
      rt.print(cmd, t, (x) => `Task ${x.id} ← ${x.benchmarkIds.join(', ') || '(no benchmarks)'}`)
    })
}
