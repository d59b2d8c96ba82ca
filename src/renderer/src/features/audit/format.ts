export { formatBytes, hostPort } from '../../../../shared/format'

/** ISO time → local "2026-01-31 08:15:02". */
export function formatTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

export { PURPOSE_LABELS, purposeText } from '../../../../shared/api/models'
