import { useEffect } from 'react'
import { api } from '../../lib/api'

const REFRESH_DEBOUNCE_MS = 3000

/** Calls `refresh` when rows are appended to the audit log, at most every 3 s. */
export function useAuditAppended(refresh: () => unknown): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = api.on('audit:appended', () => {
      timer ??= setTimeout(() => {
        timer = null
        void refresh()
      }, REFRESH_DEBOUNCE_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [refresh])
}
