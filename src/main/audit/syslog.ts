import { hostname as osHostname } from 'node:os'

/**
 * RFC 5424 syslog messages, framed for TCP by octet counting (RFC 6587 §3.4.1), which survives
 * newlines inside a message. Structured data carries the fields a SIEM indexes (sequence number,
 * hash, key fingerprint); the message body is the full JSON, so the collector's copy can be verified
 * on its own (`verify <file>` accepts an anchor saved from it).
 */

/** Our SD-ID. 32473 is the example Private Enterprise Number (RFC 5612) until one is registered. */
export const SD_ID = 'wardeval@32473'
/** Facility 13, "log audit" (RFC 5424 table 1). */
export const FACILITY_LOG_AUDIT = 13
export const SEVERITY = { notice: 5, info: 6 } as const

export interface SyslogMessage {
  severity: number
  msgId: string
  /** RFC 3339 time of the event. */
  timestamp: string
  params: Record<string, string | number>
  msg: string
}

export interface SyslogOrigin {
  hostname?: string
  appName?: string
  procId?: string
  facility?: number
}

/** PRINTUSASCII only (33–126), at most `max` characters; "-" (the NILVALUE) when empty. */
function header(value: string, max: number): string {
  const v = value.replace(/[^\x21-\x7e]/g, '').slice(0, max)
  return v || '-'
}

/** SD-NAME: printable ASCII except '=', ' ', ']' and '"', at most 32 characters. */
function sdName(name: string): string {
  return name.replace(/[^\x21-\x7e]|[= \]"]/g, '').slice(0, 32)
}

/** PARAM-VALUE escapes '"', '\' and ']' (RFC 5424 §6.3.3). */
function sdValue(value: string | number): string {
  return String(value).replace(/[\\"\]]/g, (c) => `\\${c}`)
}

export function formatSyslog(m: SyslogMessage, origin: SyslogOrigin = {}): string {
  const pri = (origin.facility ?? FACILITY_LOG_AUDIT) * 8 + m.severity
  const params = Object.entries(m.params)
    .map(([k, v]) => `${sdName(k)}="${sdValue(v)}"`)
    .join(' ')
  const sd = params ? `[${SD_ID} ${params}]` : '-'
  return [
    `<${pri}>1`,
    header(m.timestamp, 64),
    header(origin.hostname ?? osHostname(), 255),
    header(origin.appName ?? 'wardeval', 48),
    header(origin.procId ?? String(process.pid), 128),
    header(m.msgId, 32),
    sd,
    // MSG as UTF-8, announced by the byte order mark (RFC 5424 §6.4).
    `\uFEFF${m.msg}`,
  ].join(' ')
}

/** RFC 6587 octet counting: "<length> <message>", the length in bytes of the UTF-8 message. */
export function frameOctetCounted(message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8')
  return Buffer.concat([Buffer.from(`${bytes.length} `, 'ascii'), bytes])
}

/** Splits an octet-counted stream back into messages (the loopback test collector uses it). */
export function parseOctetCounted(stream: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = []
  let at = 0
  for (;;) {
    const space = stream.indexOf(0x20, at)
    if (space < 0) break
    const len = Number(stream.subarray(at, space).toString('ascii'))
    if (!Number.isInteger(len) || len <= 0) throw new Error(`bad octet count at byte ${at}`)
    if (stream.length < space + 1 + len) break
    messages.push(stream.subarray(space + 1, space + 1 + len).toString('utf8'))
    at = space + 1 + len
  }
  return { messages, rest: stream.subarray(at) }
}
