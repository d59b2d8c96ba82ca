import type { RequestCounts, RequestFailureCount } from '../api/runs'

/** 'HTTP 500 ×99, timeout ×3' ('' when nothing failed). */
export function failureKindsText(kinds: RequestFailureCount[]): string {
  return kinds.map((k) => `${k.kind} ×${k.count.toLocaleString('en-US')}`).join(', ')
}

/** 'Requests sent: 5,099 (5,000 answered, 99 failed: HTTP 500 ×99)' — retries included. */
export function requestsText(r: RequestCounts): string {
  const n = (x: number) => x.toLocaleString('en-US')
  const failed =
    r.failed > 0 ? `, ${n(r.failed)} failed: ${failureKindsText(r.failedByKind)}` : ', none failed'
  return `Requests sent: ${n(r.sent)} (${n(r.answered)} answered${failed})`
}
