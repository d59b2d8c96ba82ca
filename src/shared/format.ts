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
