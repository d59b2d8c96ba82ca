import type { PackInstanceInput } from '../../../../shared/benchmarks/pack'
import { pyStrip } from './helm'
import { asObject, dataError, readJsonLines, stringField, type ProgressFn } from './read'

/**
 * What MTSamples Procedures and MTSamples Replicate share: both MedHELM scenarios take the
 * transcription samples of raulista1997/benchmarkdata (one .txt file per sample, packaged here as
 * JSON Lines `{"file", "text"}`) and build instances the same way, except for what they cut from
 * the input:
 *
 * - reference = the text after "PLAN:" (else "SUMMARY:", else "FINDINGS:") up to the next newline,
 *   stripped; files with none of the three (or only empty ones) are skipped;
 * - the presence test is on the upper-cased text but the split is case-sensitive, so a file that
 *   says "Plan:" but not "PLAN:" raises an IndexError in HELM and is skipped — reproduced here;
 * - input = the stripped text before the removed section(s), stripped again.
 */

export type MtSection = 'PLAN' | 'SUMMARY' | 'FINDINGS'
const SECTIONS: readonly MtSection[] = ['PLAN', 'SUMMARY', 'FINDINGS']

/** HELM's extract_sections: the first line after each marker, or null when the marker is absent; 'error' when HELM's split fails. */
function extractSections(text: string): Record<MtSection, string | null> | 'error' {
  const upper = text.toUpperCase()
  const out: Record<MtSection, string | null> = { PLAN: null, SUMMARY: null, FINDINGS: null }
  for (const section of SECTIONS) {
    const marker = `${section}:`
    if (!upper.includes(marker)) continue
    const after = text.split(marker)[1]
    if (after === undefined) return 'error' // Python: IndexError, the file is skipped
    out[section] = pyStrip(after.split('\n', 1)[0]!)
  }
  return out
}

/** Builds one instance from a sample's text, or null when MedHELM skips the file. */
export function mtSamplesInstance(
  file: string,
  rawText: string,
  removeSections: readonly MtSection[],
): PackInstanceInput | null {
  let text = pyStrip(rawText)
  const sections = extractSections(text)
  if (sections === 'error') return null
  const section = SECTIONS.find((s) => sections[s]) // first non-empty, as Python's `plan or summary or findings`
  if (!section) return null
  for (const removed of removeSections) {
    const marker = `${removed}:`
    if (text.includes(marker)) text = pyStrip(text.split(marker)[0]!)
  }
  return {
    id: file,
    input: text,
    references: [sections[section]!],
    split: 'test',
    metadata: { file, referenceSection: section },
  }
}

/** Streams the packaged samples and yields the instances MedHELM builds from them. */
export async function* mtSamplesInstances(
  path: string,
  removeSections: readonly MtSection[],
  onProgress?: ProgressFn,
): AsyncGenerator<PackInstanceInput> {
  let samples = 0
  let count = 0
  for await (const { line, value } of readJsonLines(path, onProgress)) {
    const loc = { file: path, line }
    const record = asObject(value, loc)
    const file = stringField(record, 'file', loc)
    const text = stringField(record, 'text', loc, false)
    samples++
    const instance = mtSamplesInstance(file, text, removeSections)
    if (instance) {
      count++
      yield instance
    }
  }
  if (samples === 0) throw dataError({ file: path }, null, 'contains no samples')
  if (count === 0)
    throw dataError({ file: path }, 'text', 'no sample has a PLAN:, SUMMARY: or FINDINGS: section')
}
