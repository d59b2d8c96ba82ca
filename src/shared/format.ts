/** 1536 → "1.5 KB" (binary units), for the CLI and the renderer alike. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(v >= 10 ? 0 : 1)} ${units[i]}`
}

/** "host:port", an IPv6 address in brackets; the host alone without a port. */
export function hostPort(host: string, port: number | null): string {
  const h = host.includes(':') ? `[${host}]` : host
  return port === null ? h : `${h}:${port}`
}

/** "a", "a and b", "a, b and c" (the empty list: ""). */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
