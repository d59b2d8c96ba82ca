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

const MAPPED_V4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/

/**
 * The one spelling of an IP address: IPv4 dotted decimal; IPv6 lower-case, compressed (RFC 5952,
 * as the URL parser writes it); an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address
 * it reaches. Returns null for anything that is not an IP literal.
 */
export function canonicalAddress(address: string): string | null {
  const a = bareHost(address)
  const v = isIP(a)
  if (v === 4) return a
  if (v !== 6) return null
  const compressed = new URL(`http://[${a}]/`).hostname.slice(1, -1)
  const m = MAPPED_V4.exec(compressed)
  if (!m) return compressed
  const hi = parseInt(m[1]!, 16)
  const lo = parseInt(m[2]!, 16)
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

/**
 * How an approval's host is stored: a DNS name (lower case, no trailing dot) or a canonical IP
 * address. IPv4 written in another form that URLs accept (hexadecimal 0x7f000001, an integer,
 * a short form like 10.1) and IPv6 in another spelling (uncompressed, IPv4-mapped) are stored
 * canonical, with `rewrittenFrom` saying what was written. A form with a leading zero (010.1.2.3)
 * is refused naming the canonical form: URLs read it as octal (8.1.2.3), a person often means
 * decimal. Returns null when the text is neither a host name nor an IP address.
 */
export function canonicalApprovalHost(
  raw: string,
): { host: string; rewrittenFrom: string | null } | { refused: string } | null {
  const h = bareHost(raw).replace(/\.$/, '')
  const ip = canonicalAddress(h)
  if (ip !== null) return { host: ip, rewrittenFrom: ip === h ? null : h }
  let parsed: string
  try {
    parsed = new URL(`http://${h}/`).hostname
  } catch {
    return null
  }
  if (isIP(parsed) !== 4) return parsed === h ? { host: h, rewrittenFrom: null } : null
  if (h.split('.').some((part) => /^0\d/.test(part))) {
    return {
      refused: `"${h}" is read as ${parsed} (a leading zero means octal); write ${parsed} if that is the address you mean`,
    }
  }
  return { host: parsed, rewrittenFrom: h }
}
