import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DATASETS_DIR } from '../../support/shared'
import { FIXTURES, cli, tempDir } from './helpers'

let tmp: ReturnType<typeof tempDir>
let db: string
beforeEach(() => {
  tmp = tempDir()
  db = join(tmp.dir, 'w.db')
})
afterEach(() => tmp.dispose())

describe('CLI: import, benchmarks, taxonomy', () => {
  it('import prints the benchmark id, instance count and hash (text and --json)', async () => {
    const text = await cli(['--db', db, 'import', 'pack', join(FIXTURES, 'triage-pack')])
    expect(text.stderr).toBe('')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(
      /^Imported: ward_triage \(Ward triage questions\) version 2024\.1\nInstances: 3\nHash: {6}sha256:[0-9a-f]{64}\n$/,
    )

    const json = await cli([
      '--db',
      db,
      'import',
      'csv',
      join(FIXTURES, 'triage.csv'),
      '--benchmark',
      'triage_csv',
      '--map',
      'input=question,reference=answer,id=case_id,choices=option_a|option_b|option_c,metadata=ward',
      '--subcategory',
      'supporting_diagnostic_decisions',
      '--json',
    ])
    expect(json.code).toBe(0)
    const r = JSON.parse(json.stdout) as {
      benchmarkId: string
      instanceCount: number
      contentHash: string
      alreadyImported: boolean
    }
    expect(r).toMatchObject({ benchmarkId: 'triage_csv', instanceCount: 3, alreadyImported: false })
    expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('import --split picks another split of a published dataset (HEAD-QA dev: 1,366 questions, 30 with images skipped)', async () => {
    const r = await cli([
      '--db',
      db,
      '--json',
      'import',
      'head-qa',
      join(DATASETS_DIR, 'headqa/HEAD_EN.json'),
      '--split',
      'dev',
      '--version',
      'dev',
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      benchmarkId: 'head_qa',
      version: 'dev',
      instanceCount: 1336,
    })
    const bad = await cli([
      '--db',
      db,
      'import',
      'head-qa',
      join(DATASETS_DIR, 'headqa/HEAD_EN.json'),
      '--split',
      'val',
    ])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/HEAD-QA split "val" is unknown; use train, dev or test/)
  })

  it('import failures exit 1 with the file and line; usage errors exit 2', async () => {
    const bad = await cli([
      '--db',
      db,
      'import',
      'tsv',
      join(FIXTURES, 'triage.csv'),
      '--subcategory',
      'planning_treatments',
    ])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^error \(bad_data\): triage\.csv line 1: wrong delimiter/)
    const unknown = await cli(['--db', db, 'import', 'xlsx', join(FIXTURES, 'triage.csv')])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown format "xlsx"/)
    const map = await cli([
      '--db',
      db,
      'import',
      'csv',
      join(FIXTURES, 'triage.csv'),
      '--map',
      'question',
      '--subcategory',
      'planning_treatments',
    ])
    expect(map.code).toBe(2)
    expect(map.stderr).toMatch(/--map: "question" is not field=column/)
  })

  it('benchmarks lists id, name, subcategory, instances and hash', async () => {
    await cli(['--db', db, 'import', 'pack', join(FIXTURES, 'triage-pack')])
    const text = await cli(['--db', db, 'benchmarks'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^id\s+name\s+subcategory\s+version\s+instances\s+hash\n/)
    expect(text.stdout).toMatch(
      /ward_triage\s+Ward triage questions\s+Supporting Diagnostic Decisions\s+2024\.1\s+3\s+[0-9a-f]{16}/,
    )
    const json = JSON.parse((await cli(['--db', db, 'benchmarks', '--json'])).stdout) as {
      id: string
      latest: { instanceCount: number }
    }[]
    expect(json.map((b) => [b.id, b.latest.instanceCount])).toEqual([['ward_triage', 3]])
    const inst = await cli(['--db', db, 'benchmarks', 'instances', 'ward_triage', '--limit', '2', '--json'])
    expect((JSON.parse(inst.stdout) as { total: number; rows: unknown[] }).rows).toHaveLength(2)
  })

  it('taxonomy lists every category, subcategory and task with the loaded benchmarks covering it', async () => {
    await cli(['--db', db, 'import', 'pack', join(FIXTURES, 'triage-pack')])
    const json = JSON.parse((await cli(['--db', db, 'taxonomy', '--json'])).stdout) as {
      categories: {
        id: string
        subcategories: {
          id: string
          covered: boolean
          benchmarks: { id: string; loaded: boolean; instanceCount: number }[]
          tasks: { id: string }[]
        }[]
      }[]
      totals: { subcategories: number; coveredSubcategories: number }
    }
    expect(json.categories).toHaveLength(5)
    expect(json.categories.flatMap((c) => c.subcategories)).toHaveLength(22)
    expect(json.totals).toMatchObject({ subcategories: 22, coveredSubcategories: 1 })
    const sdd = json.categories[0]!.subcategories.find((s) => s.id === 'supporting_diagnostic_decisions')!
    expect(sdd.covered).toBe(true)
    expect(sdd.benchmarks.find((b) => b.id === 'ward_triage')).toMatchObject({
      loaded: true,
      instanceCount: 3,
    })
    expect(sdd.benchmarks.find((b) => b.id === 'medcalc_bench')).toMatchObject({ loaded: false })
    const text = (await cli(['--db', db, 'taxonomy'])).stdout
    expect(text).toMatch(/Covered: 1\/22 subcategories/)
    expect(text).toMatch(
      /■ Supporting Diagnostic Decisions \[supporting_diagnostic_decisions\] — 1 loaded, 3 instances/,
    )
    expect(text).toMatch(/✓ ward_triage \(private, local\): 3 instances, version 2024\.1/)
    expect(text).toMatch(/□ Recording Procedures \[recording_procedures\] — not covered/)
    expect(text).toMatch(/task · Answer medical knowledge questions \[answer_medical_knowledge_questions\]/)
  })

  it('task edits: add, rename, move, map, remove — stored locally, shown by taxonomy', async () => {
    await cli(['--db', db, 'import', 'pack', join(FIXTURES, 'triage-pack')])
    const add = JSON.parse(
      (
        await cli([
          '--db',
          db,
          'taxonomy',
          'add-task',
          'supporting_diagnostic_decisions',
          'Triage ED patients',
          '--json',
        ])
      ).stdout,
    ) as { id: string }
    expect(add.id).toBe('local_triage_ed_patients')
    expect((await cli(['--db', db, 'taxonomy', 'map-task', add.id, 'ward_triage'])).stdout).toBe(
      'Task local_triage_ed_patients ← ward_triage\n',
    )
    expect(
      (
        await cli([
          '--db',
          db,
          'taxonomy',
          'rename-task',
          'answer_medical_knowledge_questions',
          'Answer clinical knowledge questions',
        ])
      ).code,
    ).toBe(0)
    const text = (await cli(['--db', db, 'taxonomy'])).stdout
    expect(text).toMatch(/task ✓ Triage ED patients \[local_triage_ed_patients, local\] ← ward_triage/)
    expect(text).toMatch(
      /task · Answer clinical knowledge questions \[answer_medical_knowledge_questions, edited\]/,
    )
    expect((await cli(['--db', db, 'taxonomy', 'move-task', add.id, 'nope'])).stderr).toMatch(
      /No subcategory "nope"/,
    )
    const dup = await cli([
      '--db',
      db,
      'taxonomy',
      'add-task',
      'supporting_diagnostic_decisions',
      'triage ED patients',
    ])
    expect(dup.code).toBe(1)
    expect(dup.stderr).toMatch(/already has a task named "Triage ED patients"/)
    expect((await cli(['--db', db, 'taxonomy', 'remove-task', add.id])).stdout).toBe(`Removed ${add.id}\n`)
    expect(
      (await cli(['--db', db, 'taxonomy', 'remove-task', 'answer_medical_knowledge_questions'])).stdout,
    ).toBe('Removed answer_medical_knowledge_questions\n')
    expect((await cli(['--db', db, 'taxonomy'])).stdout).toMatch(
      /task · Answer medical knowledge questions \[answer_medical_knowledge_questions\]\n/,
    )
  })

  it('a new database gets the bundled samples on first use, once', async () => {
    const env = {}
    const first = JSON.parse((await cli(['--db', db, 'benchmarks', '--json'], env)).stdout) as {
      id: string
      sample: boolean
    }[]
    expect(first.map((b) => b.id).sort()).toEqual([
      'aci_bench',
      'medcalc_bench',
      'medec',
      'medhallu',
      'pubmed_qa',
    ])
    expect(first.every((b) => b.sample)).toBe(true)
    expect((await cli(['--db', db, 'benchmarks', 'delete', 'medec'], env)).code).toBe(0)
    const after = JSON.parse((await cli(['--db', db, 'benchmarks', '--json'], env)).stdout) as {
      id: string
    }[]
    expect(after.map((b) => b.id)).not.toContain('medec')
    expect((await cli(['--db', db, 'benchmarks', 'restore-samples'], env)).stdout).toBe('Restored: medec\n')
  })
})
