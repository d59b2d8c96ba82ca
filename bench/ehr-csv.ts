/**
 * The synthetic EHR-style extract the import benches read: `rows` rows of ~500 bytes (encounter
 * metadata, a free-text note, a question and an answer), the same file for the same row count.
 * Used by bench/import-generic.ts (in-process) and bench/cli-import.ts (the `wardeval` process).
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

/** The column mapping of this extract for `import csv` (`--map` / ImportRequest.map). */
export const EHR_MAP = { input: 'note+question', reference: 'answer', id: 'encounter_id' } as const

const DEPARTMENTS = [
  'Cardiology',
  'Emergency Medicine',
  'Oncology',
  'Nephrology',
  'General Surgery',
  'Neurology',
  'Pediatrics',
]
const FINDINGS = [
  'chest pain radiating to the left arm, troponin negative twice',
  'shortness of breath on exertion, bilateral ankle edema',
  'fever 38.9 C with productive cough and right lower lobe crackles',
  'acute kidney injury, creatinine up from 1.1 to 2.4 mg/dL',
  'new onset atrial fibrillation with rapid ventricular response',
  'post-operative day 2, tolerating diet, wound clean and dry',
]
const PLANS = [
  'continue current management',
  'start IV antibiotics',
  'consult cardiology',
  'repeat labs in the morning',
  'discharge home with follow-up',
]

/** A deterministic pseudo-random sequence (mulberry32), so every run writes the same file. */
function rng(seed: number) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 })
  const r = rng(42)
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!
  out.write('encounter_id,mrn,age,sex,admitted,department,note,question,answer\n')
  let buf = ''
  for (let i = 1; i <= rows; i++) {
    const age = 18 + Math.floor(r() * 80)
    const note = `${age}-year-old admitted via ${pick(DEPARTMENTS)} with ${pick(FINDINGS)}. Vitals: BP ${100 + Math.floor(r() * 60)}/${60 + Math.floor(r() * 30)}, HR ${55 + Math.floor(r() * 60)}, SpO2 ${88 + Math.floor(r() * 12)}%. Labs notable for Hb ${(9 + r() * 6).toFixed(1)} g/dL, "K" ${(3 + r() * 2).toFixed(1)} mmol/L. Assessment: ${pick(FINDINGS)}; plan: ${pick(PLANS)}, then ${pick(PLANS)}.`
    buf += `E${String(i).padStart(9, '0')},${1_000_000 + Math.floor(r() * 9_000_000)},${age},${r() < 0.5 ? 'F' : 'M'},2024-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)},${pick(DEPARTMENTS)},"${note.replaceAll('"', '""')}",What is the most appropriate next step in management for this patient?,${pick(PLANS)}\n`
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain')
      buf = ''
    }
  }
  out.write(buf)
  out.end()
  await once(out, 'finish')
}
