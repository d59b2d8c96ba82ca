import { BlockList, isIP } from 'node:net'

/** Host as it appears in a URL, without IPv6 brackets, lower-cased. */
export function bareHost(hostname: string): string {
  const h = hostname.trim().toLowerCase()
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h
}

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/**
 * Is this IP address on the loopback interface? 127.0.0.0/8 and ::1, in any spelling, including the
 * IPv4-mapped form (::ffff:127.0.0.1). The unspecified address (0.0.0.0, ::) is NOT loopback:
 * connecting to it reaches whatever listens on any interface, so it is refused unless approved.
 * Anything that is not an IP literal is not loopback.
 */
export function isLoopbackAddress(address: string): boolean {
  const a = bareHost(address)
  const v = isIP(a)
  if (v === 0) return false
  return LOOPBACK.check(a, v === 4 ? 'ipv4' : 'ipv6')
}

/** For display only: is this host (an address, or "localhost") a loopback destination? */
export function isLoopbackHost(host: string): boolean {
  const h = bareHost(host)
  return h === 'localhost' || isLoopbackAddress(h)
}

export interface Destination {
  protocol: 'http:' | 'https:'
  /** Host name or IP literal, no brackets, lower case. */
  host: string
  port: number
  /** For messages and rows: host:port, IPv6 in brackets. */
  label: string
}

/** Parses a URL into the destination the guard decides on; only http and https are allowed. */
export function destinationOf(url: string | URL): Destination {
  let u: URL
  try {
    u = typeof url === 'string' ? new URL(url) : url
  } catch {
    throw new TypeError(`Not a URL: ${String(url).slice(0, 200)}`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new TypeError(`Only http and https URLs can be reached, not ${u.protocol}`)
  }
  const host = bareHost(u.hostname)
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80
  return { protocol: u.protocol, host, port, label: formatHostPort(host, port) }
}

export function formatHostPort(host: string, port: number | null): string {
  const h = isIP(host) === 6 ? `[${host}]` : host
  return port === null ? h : `${h}:${port}`
}
