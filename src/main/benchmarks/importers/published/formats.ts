/**
 * The published formats' names, in the order of PUBLISHED_IMPORTERS (./index.ts), without loading
 * the importers (their parsers — XML, XLSX, DOCX — are the bulk of the import code): what the
 * CLI's help text names. A test keeps the two lists equal.
 */
export const PUBLISHED_FORMATS: readonly string[] = [
  'pubmedqa',
  'medcalc-bench',
  'aci-bench',
  'medec',
  'medication-qa',
  'mediqa-qa',
  'medbullets',
  'head-qa',
  'mtsamples-procedures',
  'mtsamples-replicate',
  'ehrsql',
  'medhallu',
  'race-based-med',
]
