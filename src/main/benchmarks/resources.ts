import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import {
  Catalog,
  ShippedTaxonomy,
  TaxonomyGuide,
  type CatalogEntry,
  type ShippedCategory,
  type ShippedSubcategory,
} from '../../shared/benchmarks/taxonomy'

/**
 * The shipped data in resources/: the MedHELM taxonomy and benchmark catalog, validated on first
 * use and cached per resources folder. A broken resource file is a packaging bug, reported with
 * the file and the field.
 */
export interface Resources {
  taxonomy: ShippedTaxonomy
  /** Plain-language guidance per subcategory (every subcategory has one: checked at load). */
  guide: TaxonomyGuide
  catalog: Catalog
  catalogById: Map<string, CatalogEntry>
  subcategoryById: Map<string, { category: ShippedCategory; subcategory: ShippedSubcategory }>
}

const cache = new Map<string, Resources>()

function loadJson<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`)
  }
  // Parsed once per process: zod's compiled fast path costs more to build than it saves here
  // (11 -> 5 ms for the three files, on the way to every command's first output).
  const parsed = schema.safeParse(raw, { jitless: true })
  if (!parsed.success) {
    const first = parsed.error.issues[0]!
    throw new Error(`${file}: ${first.path.join('.') || '(root)'}: ${first.message}`)
  }
  return parsed.data
}

export function loadResources(resourcesDir: string): Resources {
  const hit = cache.get(resourcesDir)
  if (hit) return hit
  const taxonomy = loadJson(join(resourcesDir, 'taxonomy.json'), ShippedTaxonomy)
  const catalog = loadJson(join(resourcesDir, 'catalog.json'), Catalog)
  const guide = loadJson(join(resourcesDir, 'taxonomy-guide.json'), TaxonomyGuide)
  const subcategoryById = new Map<string, { category: ShippedCategory; subcategory: ShippedSubcategory }>()
  for (const category of taxonomy.categories)
    for (const subcategory of category.subcategories)
      subcategoryById.set(subcategory.id, { category, subcategory })
  for (const id of subcategoryById.keys())
    if (!guide.subcategories[id]) throw new Error(`taxonomy-guide.json: no guidance for subcategory "${id}"`)
  const res: Resources = {
    taxonomy,
    guide,
    catalog,
    catalogById: new Map(catalog.benchmarks.map((b) => [b.id, b])),
    subcategoryById,
  }
  cache.set(resourcesDir, res)
  return res
}

/**
 * Resolves a manifest's taxonomy placement, given as ids or as names (case-insensitive), to ids.
 * Returns null when the subcategory is unknown or does not belong to the category.
 */
export function resolvePlacement(
  res: Resources,
  category: string,
  subcategory: string,
): { categoryId: string; subcategoryId: string } | null {
  const norm = (s: string) => s.trim().toLowerCase()
  for (const c of res.taxonomy.categories) {
    if (norm(c.id) !== norm(category) && norm(c.name) !== norm(category)) continue
    const s = c.subcategories.find(
      (x) => norm(x.id) === norm(subcategory) || norm(x.name) === norm(subcategory),
    )
    return s ? { categoryId: c.id, subcategoryId: s.id } : null
  }
  return null
}
