import type { JuryCriterion } from '../../shared/benchmarks/pack'

/**
 * MedHELM's jury criteria (annotation/*_annotator.py `ANNOTATION_CRITERIA`): 12 of the 13
 * open-ended benchmarks use accuracy, completeness and clarity; NoteExtract (chw_care_plan) uses
 * accuracy, structure and clarity and is judged without a gold response. Descriptions paraphrase
 * the guiding questions of HELM's prompts.
 */
export const STANDARD_JURY_CRITERIA: readonly JuryCriterion[] = [
  {
    id: 'accuracy',
    name: 'Accuracy',
    description: 'Is the medical content correct, given the input and current clinical guidelines?',
  },
  {
    id: 'completeness',
    name: 'Completeness',
    description: 'Does the response include all the important details the task calls for?',
  },
  {
    id: 'clarity',
    name: 'Clarity',
    description: 'Is the response clear and well organised for its intended reader (clinician or patient)?',
  },
]

export const NOTE_EXTRACT_JURY_CRITERIA: readonly JuryCriterion[] = [
  {
    id: 'accuracy',
    name: 'Accuracy',
    description: 'Does the note state the information in the source correctly, without additions?',
  },
  {
    id: 'structure',
    name: 'Structure',
    description: 'Does the note contain every section of the required note template?',
  },
  {
    id: 'clarity',
    name: 'Clarity',
    description: 'Is the note clear and easy for a clinician to read?',
  },
]

/** Scale of every MedHELM judge prompt: integers 1 (worst) to 5 (best). */
export const JURY_SCORE_MIN = 1
export const JURY_SCORE_MAX = 5
