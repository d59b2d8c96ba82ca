import { create } from 'zustand'

export const SECTIONS = [
  { id: 'taxonomy', label: 'Taxonomy', hint: 'Clinical task taxonomy and what your benchmarks cover' },
  { id: 'benchmarks', label: 'Benchmarks', hint: 'Import and browse benchmarks' },
  { id: 'models', label: 'Models', hint: 'Ollama and approved model endpoints' },
  { id: 'runs', label: 'Runs', hint: 'Evaluate models on benchmarks' },
  { id: 'leaderboard', label: 'Leaderboard', hint: 'Compare models' },
  { id: 'review', label: 'Review', hint: 'Blind clinician review of model outputs' },
  { id: 'audit', label: 'Privacy & Audit', hint: 'What left this machine, and proof the log is intact' },
] as const
export type SectionId = (typeof SECTIONS)[number]['id']

interface NavState {
  section: SectionId
  go: (section: SectionId) => void
}

export const useNav = create<NavState>()((set) => ({
  section: 'taxonomy',
  go: (section) => set({ section }),
}))
