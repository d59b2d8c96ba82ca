import { join } from 'node:path'
import { AppError } from '../../../errors'
import type { BenchmarkManifestInput, PackInstanceInput } from '../../../../shared/benchmarks/pack'
import type { Importer, ImportOptions } from '../types'
import { finishManifest, helmTemplate } from './helm'
import {
  asArray,
  asObject,
  dataError,
  exists,
  fileSize,
  readJsonFile,
  readTextFile,
  requireFolder,
  stringField,
} from './read'
import { inChunks } from '../chunks'

/**
 * EHRSQL, eICU questions (glee4810/EHRSQL `dataset/ehrsql/eicu/{valid,test}.json` + `eicu.sql`).
 * As MedHELM's ehr_sql_scenario: valid + test (1,117 + 1,792 = 2,909) form the test split; the
 * CREATE TABLE statements of eicu.sql are put in every input; reference = the gold query ("null"
 * for unanswerable questions, which should get an empty answer).
 *
 * The dataset has no database. Scoring executes the gold and predicted SQL on the user's own
 * SQLite eICU database (`eicu.sqlite`, database id in metadata.dbId); each instance records what
 * that needs: dbId, whether the question is answerable, and the `value` slots HELM falls back to
 * when the gold query returns nothing.
 */

export const EHRSQL_SOURCE_FILES = ['valid.json', 'test.json'] as const
export const EHRSQL_DATABASE_FILE = 'eicu.sqlite'

export const EHRSQL_MANIFEST: BenchmarkManifestInput = {
  id: 'ehr_sql',
  name: 'EHRSQL',
  version: 'e172ec8e',
  description:
    'Text-to-SQL over the eICU database; unanswerable questions should get an empty answer. Scoring needs your own SQLite eICU database (eicu.sqlite), which is not part of the dataset.',
  taxonomy: { category: 'medical_research', subcategory: 'analyzing_clinical_research_data' },
  access: 'public',
  taskType: 'sql',
  prompt: {
    instructions:
      'You are a highly skilled AI specializing in medical SQL queries. Given a database schema and a medical question, generate a valid SQL query ' +
      'that retrieves the required information from the database. Output only the SQL query without explanations.\n\n' +
      'Input: A database schema followed by a natural language question.\n' +
      "Output: A valid SQL query ending with ;. Only return SQL query, don't add additional text.\n\n" +
      'If the question is unanswerable, return an empty string without additional text or comments.',
    template: helmTemplate('Medical Question + Schema', 'generation'),
    outputNoun: 'SQL Query',
    maxTokens: 1024,
    temperature: 0,
    stop: [],
  },
  metrics: [
    { name: 'ehrsql_execution_accuracy', main: true },
    { name: 'exact_match', main: false },
  ],
  source: {
    name: 'EHRSQL eICU (glee4810/EHRSQL, dataset/ehrsql/eicu valid.json + test.json + eicu.sql)',
    url: 'https://github.com/glee4810/EHRSQL',
    license: 'CC BY 4.0',
    citation:
      'Lee G, Hwang H, Bae S, et al. EHRSQL: A Practical Text-to-SQL Benchmark for Electronic Health Records. NeurIPS 2022 Datasets and Benchmarks.',
    commit: 'e172ec8e61391ecae2d872c8d0ba02a622222f54',
  },
}

/** HELM's extract_schema: the CREATE TABLE statements, lines stripped, statements separated by a blank line. */
export function extractSchema(sql: string): string {
  const tables: string[] = []
  let current: string[] | null = null
  // Python's readlines() + strip(): split keeping every line, strip each.
  for (const raw of sql.split(/(?<=\n)/)) {
    const line = raw.trim()
    if (line.startsWith('CREATE TABLE')) current = [line]
    else if (current) {
      current.push(line)
      if (line.endsWith(';')) {
        tables.push(current.join('\n'))
        current = null
      }
    }
  }
  return tables.join('\n\n')
}

export function ehrsqlInput(schema: string, question: string): string {
  // HELM's f-string continues a line inside the literal, so 20 spaces of indentation precede "Question:".
  return `-- Database Schema:\n${schema}\n\n-- ${' '.repeat(20)}Question:\n${question}\n\n`
}

async function* ehrsqlInstances(
  folder: string,
  schema: string,
  options: ImportOptions,
): AsyncGenerator<PackInstanceInput> {
  const files = EHRSQL_SOURCE_FILES.map((name) => join(folder, name))
  const sizes = await Promise.all(files.map((file) => fileSize(file)))
  const total = sizes.reduce((a, b) => a + b, 0)
  let done = 0
  for (const [index, file] of files.entries()) {
    const entries = asArray(await readJsonFile(file), { file }, 'file (a JSON array of questions)')
    done += sizes[index]!
    options.onProgress?.(done, total)
    for (const [i, value] of entries.entries()) {
      const loc = { file, record: `item ${i}` }
      const entry = asObject(value, loc)
      const id = stringField(entry, 'id', loc)
      const recordLoc = { file, record: `item ${i} (id ${id})` }
      const impossible = entry['is_impossible'] ?? false
      if (typeof impossible !== 'boolean')
        throw dataError(recordLoc, 'is_impossible', 'expected true or false')
      const query = stringField(entry, 'query', recordLoc)
      const value_ = entry['value'] ?? {}
      if (value_ === null || typeof value_ !== 'object' || Array.isArray(value_))
        throw dataError(recordLoc, 'value', 'expected an object')
      yield {
        id,
        input: ehrsqlInput(schema, stringField(entry, 'question', recordLoc)),
        references: [query],
        split: 'test',
        metadata: {
          dbId: stringField(entry, 'db_id', recordLoc),
          database: EHRSQL_DATABASE_FILE,
          answerable: !impossible,
          value: value_,
          template: typeof entry['template'] === 'string' ? entry['template'] : null,
          sourceSplit: EHRSQL_SOURCE_FILES[index]!.replace(/\.json$/, ''),
        },
      }
    }
  }
}

export const ehrsqlImporter: Importer = {
  format: 'ehrsql',
  description:
    'EHRSQL (eICU): 2,909 clinical-research questions to answer with SQL; scoring needs your eicu.sqlite',
  expects: 'the dataset/ehrsql/eicu folder of github.com/glee4810/EHRSQL (valid.json, test.json, eicu.sql)',
  catalogId: 'ehr_sql',
  async read(path, options) {
    await requireFolder(path, 'valid.json, test.json and eicu.sql')
    for (const name of [...EHRSQL_SOURCE_FILES, 'eicu.sql'])
      if (!(await exists(join(path, name))))
        throw new AppError('not_found', `${path}: no ${name}; point at the EHRSQL dataset/ehrsql/eicu folder`)
    const schemaFile = join(path, 'eicu.sql')
    const schema = extractSchema(await readTextFile(schemaFile))
    if (schema === '') throw dataError({ file: schemaFile }, null, 'holds no complete CREATE TABLE statement')
    return {
      manifest: finishManifest(EHRSQL_MANIFEST, options),
      instances: inChunks(ehrsqlInstances(path, schema, options)),
    }
  },
}
