import { useEffect, useRef, type KeyboardEvent, type ReactElement } from 'react'
import { AuditScreen } from './features/audit/AuditScreen'
import { BenchmarksScreen } from './features/benchmarks/BenchmarksScreen'
import { LeaderboardScreen } from './features/leaderboard/LeaderboardScreen'
import { ModelsScreen } from './features/models/ModelsScreen'
import { ReviewScreen } from './features/review/ReviewScreen'
import { RunsScreen } from './features/runs/RunsScreen'
import { TaxonomyScreen } from './features/taxonomy/TaxonomyScreen'
import { StatusBar } from './StatusBar'
import { SECTIONS, useNav, type SectionId } from './stores/nav'
import { useStatus } from './stores/status'

const SCREENS: Record<SectionId, () => ReactElement> = {
  taxonomy: TaxonomyScreen,
  benchmarks: BenchmarksScreen,
  models: ModelsScreen,
  runs: RunsScreen,
  leaderboard: LeaderboardScreen,
  review: ReviewScreen,
  audit: AuditScreen,
}

// Each check is an audited request: poll once a minute, and on demand from the status bar.
const OLLAMA_POLL_MS = 60_000

export function App() {
  const { section, go } = useNav()
  const { loadApp, checkOllama } = useStatus()
  const navRefs = useRef<(HTMLButtonElement | null)[]>([])
  const mainRef = useRef<HTMLElement>(null)

  useEffect(() => {
    void loadApp()
    void checkOllama()
    const timer = setInterval(() => void checkOllama(), OLLAMA_POLL_MS)
    return () => clearInterval(timer)
  }, [loadApp, checkOllama])

  // Ctrl/⌘ + 1…7 jumps to a section from anywhere.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return
      const n = Number(e.key)
      const target = SECTIONS[n - 1]
      if (Number.isInteger(n) && target) {
        e.preventDefault()
        go(target.id)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [go])

  // Arrow keys move between navigation items.
  const onNavKey = (e: KeyboardEvent<HTMLElement>) => {
    const i = SECTIONS.findIndex((s) => s.id === section)
    const delta = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0
    if (!delta) return
    e.preventDefault()
    const next = SECTIONS[(i + delta + SECTIONS.length) % SECTIONS.length]!
    go(next.id)
    navRefs.current[SECTIONS.indexOf(next)]?.focus()
  }

  const Screen = SCREENS[section]
  return (
    <div className="app" data-app-state="ready">
      <a href="#main" className="skip-link" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Sections" onKeyDown={onNavKey}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ✚
          </span>
          WardEval
        </div>
        <ul>
          {SECTIONS.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                ref={(el) => {
                  navRefs.current[i] = el
                }}
                className={s.id === section ? 'nav-item active' : 'nav-item'}
                aria-current={s.id === section ? 'page' : undefined}
                title={`${s.hint} (Ctrl+${i + 1})`}
                data-testid={`nav-${s.id}`}
                onClick={() => go(s.id)}
              >
                {s.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" ref={mainRef} tabIndex={-1} data-testid={`screen-${section}`}>
        <Screen />
      </main>
      <StatusBar />
    </div>
  )
}
