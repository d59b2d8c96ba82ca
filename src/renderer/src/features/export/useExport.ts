import { useCallback, useEffect, useRef, useState } from 'react'
import type { JobProgress } from '../../../../shared/api/app'
import type { ExportOutcome } from '../../../../shared/api/export'
import { api, errorMessage } from '../../lib/api'
import { chooseSaveFile } from '../../lib/save-file'

/**
 * One export from a screen: ask where to save (the native save dialog, or the exports folder where
 * there is none), run it with a job id whose `job:progress` events are shown, then say where the
 * file went and how many records it holds.
 */
export interface ExportState {
  busy: boolean
  progress: JobProgress | null
  message: string | null
  error: string | null
}

export function outcomeMessage(r: ExportOutcome, noun: string): string {
  return `Saved ${r.records.toLocaleString()} ${noun} to ${r.file} (${(r.bytes / 1024).toFixed(1)} KB).`
}

export function useExport() {
  const [state, setState] = useState<ExportState>({ busy: false, progress: null, message: null, error: null })
  const off = useRef<(() => void) | null>(null)
  useEffect(() => () => off.current?.(), [])

  const run = useCallback(
    async (
      defaultName: string,
      extension: string,
      start: (target: { file?: string }, jobId: string) => Promise<ExportOutcome>,
      noun: string,
    ) => {
      setState((s) => ({ ...s, error: null, message: null }))
      try {
        const target = await chooseSaveFile(defaultName, extension)
        if (!target) return
        const jobId = `export-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
        off.current = api.on('job:progress', (p) => {
          if (p.jobId === jobId) setState((s) => ({ ...s, progress: p.state === 'running' ? p : null }))
        })
        setState({ busy: true, progress: null, message: null, error: null })
        const r = await start(target, jobId)
        setState({ busy: false, progress: null, message: outcomeMessage(r, noun), error: null })
      } catch (e) {
        setState({ busy: false, progress: null, message: null, error: errorMessage(e) })
      } finally {
        off.current?.()
        off.current = null
      }
    },
    [],
  )
  return { ...state, run }
}
