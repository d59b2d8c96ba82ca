/**
 * The file names of a WardEval benchmark pack (docs/benchmark-pack.md), apart from the importer
 * (./pack.ts) so that finding packs on disk (../samples.ts, at every CLI start) loads no schema.
 */
export const MANIFEST_FILE = 'manifest.json'
export const INSTANCES_FILE = 'instances.jsonl'
