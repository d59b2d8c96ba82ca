import type { Importer } from '../types'
import { aciBenchImporter } from './aci-bench'
import { ehrsqlImporter } from './ehrsql'
import { headQaImporter } from './head-qa'
import { medbulletsImporter } from './medbullets'
import { medcalcBenchImporter } from './medcalc-bench'
import { medecImporter } from './medec'
import { medhalluImporter } from './medhallu'
import { medicationQaImporter } from './medication-qa'
import { mediqaQaImporter } from './mediqa-qa'
import { mtSamplesProceduresImporter } from './mtsamples-procedures'
import { mtSamplesReplicateImporter } from './mtsamples-replicate'
import { pubmedqaImporter } from './pubmedqa'
import { raceBasedMedImporter } from './race-based-med'

/** Importers for MedHELM's public datasets in their published formats. */
export const PUBLISHED_IMPORTERS: readonly Importer[] = [
  pubmedqaImporter,
  medcalcBenchImporter,
  aciBenchImporter,
  medecImporter,
  medicationQaImporter,
  mediqaQaImporter,
  medbulletsImporter,
  headQaImporter,
  mtSamplesProceduresImporter,
  mtSamplesReplicateImporter,
  ehrsqlImporter,
  medhalluImporter,
  raceBasedMedImporter,
]
