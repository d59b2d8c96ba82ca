import { promises as dns } from 'node:dns'
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction, type Socket } from 'node:net'
import type { EgressPurpose } from '../../shared/api/models'
import { sha256Hex } from '../audit/chain'
import { clearInFlight, markInFlight } from '../audit/intents'
import { appendAudit, appendAuditSoon, appendAuditWriteAhead, INTENT_OUTCOME } from '../audit/log'
import type { Db } from '../db/open'
import { watchAbort, type AbortWatch } from './abort'
import { bareHost, destinationOf, formatHostPort, isLoopbackAddress } from './address'
import { EgressConnectionError, EgressRefusedError } from './errors'
import { decide, type ResolvedAddress } from './policy'
import { BodyQueue, GuardedResponse } from './response'
import { deliverOverSocket, type StreamRequest } from './stream'

/** How the guard sees the network: name resolution and what counts as loopback (tests substitute both). */
export interface EgressNetwork {
  /** Every address the name resolves to (IP literals are not passed here). */
  lookup(host: string): Promise<ResolvedAddress[]>
  isLoopback(address: string): boolean
}

export const systemNetwork: EgressNetwork = {
  async lookup(host) {
    const all = await dns.lookup(host, { all: true, verbatim: true })
    return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))
  },
  isLoopback: isLoopbackAddress,
}

export interface EgressRequest {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array | null
  /** Why: recorded in the audit row. */
  purpose: EgressPurpose
  /** The model endpoint this request is for, when there is one. */
  endpointId?: number | null
  signal?: AbortSignal
  /** Gives up (and records a timeout) after this long, headers and body included. */
  timeoutMs?: number
}

/** What a `fetch` passed to a client is bound to: one purpose, one endpoint, one caller's signal. */
export interface FetchBinding {
  purpose: EgressPurpose
  endpointId?: number | null
  signal?: AbortSignal
  timeoutMs?: number
}

export interface EgressGuardOptions {
  network?: EgressNetwork
  /** Who is acting (OS user); recorded in every row. */
  actor: string
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])

/** The fields every audit row of one exchange shares. */
export interface AuditBase {
  actor: string
  endpointId: number | null
  host: string
  port: number
  purpose: EgressPurpose
  bodySha256: string
  ts: string
}

/**
 * The one way out of the process. Every outbound HTTP(S) request of WardEval is made here:
 * the destination is resolved, each resolved address is checked against the egress policy
 * (loopback, or approved), and only then is a connection opened — to the address that was checked,
 * through a pinned `lookup`, so a second DNS answer cannot redirect it. A refused destination gets
 * no connection at all. Connections are kept alive for reuse in one pool per checked address, so a
 * reused socket is always one opened to the address this request's check allowed.
 *
 * Audit (write-ahead): before any byte of a request is sent, an intent row (outcome 'intent':
 * destination, resolved address, purpose, body bytes about to be sent, the body's sha256 — never
 * the body) is appended and committed, and the request waits for that COMMIT; only then is it sent.
 * (Intents and outcome rows ready in the same turn of the event loop share one transaction — one
 * commit instead of one each, which keeps runs fast — but no request is sent before the
 * transaction holding its intent has committed.) When the exchange ends (reply, HTTP error, time
 * limit, cancellation, broken connection) the outcome row — bytes on the wire each way, outcome,
 * detail — is appended (group commit), naming the intent it completes. A process killed mid-request leaves its intent without an outcome: `audit verify`
 * reports it as unfinished. A refusal, or a name that does not resolve, sends nothing and is one row.
 */
export class EgressGuard {
  private readonly network: EgressNetwork
  /** Keep-alive pools, one per protocol and checked address: a socket only ever serves that address. */
  private readonly agents = new Map<string, HttpAgent>()
  readonly actor: string

  constructor(
    private readonly db: Db,
    options: EgressGuardOptions,
  ) {
    this.network = options.network ?? systemNetwork
    this.actor = options.actor
  }

  private agentFor(protocol: 'http:' | 'https:', pinned: ResolvedAddress): HttpAgent {
    const key = `${protocol}//${pinned.address}`
    let agent = this.agents.get(key)
    if (!agent) {
      agent = protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true })
      this.agents.set(key, agent)
    }
    return agent
  }

  /**
   * Every address a host name resolves to now, as the guard would see it (for approving a name:
   * the approval pins these). No connection is made.
   */
  async lookup(host: string): Promise<ResolvedAddress[]> {
    return this.resolve(host)
  }

  private async resolve(host: string): Promise<ResolvedAddress[]> {
    const v = isIP(host)
    if (v) return [{ address: host, family: v === 6 ? 6 : 4 }]
    return this.network.lookup(host)
  }

  /**
   * Resolves a destination and applies the policy. A name that does not resolve, or a refused
   * destination, gets one audit row and an error; nothing is sent. Returns the address to connect
   * to (the one that was checked).
   */
  private async admit(
    destination: { host: string; port: number; label: string },
    base: AuditBase,
    what: string,
    bodyBytes: number,
  ): Promise<ResolvedAddress> {
    let addresses: ResolvedAddress[]
    try {
      addresses = await this.resolve(destination.host)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EAI_FAIL'
      appendAudit(this.db, {
        ...base,
        kind: 'request',
        outcome: 'network_error',
        detail: `${what}: name lookup failed (${code}); no connection made`,
      })
      throw new EgressConnectionError(
        destination.label,
        code,
        `Could not resolve ${destination.host} (${code}).`,
        { cause: e },
      )
    }
    const decision = decide(this.db, destination, addresses, (a) => this.network.isLoopback(a))
    if (!decision.allowed) {
      const row = appendAudit(this.db, {
        ...base,
        kind: 'refusal',
        address: addresses.map((a) => a.address).join(' '),
        outcome: 'refused',
        detail: `${what}: ${decision.reason}; ${bodyBytes} body bytes withheld`,
      })
      throw new EgressRefusedError(
        destination.label,
        decision.reason,
        row.seq,
        decision.addressChange ?? null,
      )
    }
    return decision.pinned
  }

  /** A WHATWG `fetch` bound to one purpose; hand it to clients such as `new Ollama({ fetch })`. */
  fetchFor(binding: FetchBinding): typeof fetch {
    return (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      if (typeof Request !== 'undefined' && input instanceof Request) {
        throw new TypeError('The egress guard takes a URL and init, not a Request object.')
      }
      const signals = [binding.signal, init?.signal ?? undefined].filter((s): s is AbortSignal => !!s)
      return this.exchange(
        {
          url: String(input),
          method: init?.method ?? 'GET',
          headers: normalizeHeaders(init?.headers),
          body: bodyBytes(init?.body),
          purpose: binding.purpose,
          endpointId: binding.endpointId ?? null,
          timeoutMs: binding.timeoutMs,
        },
        signals,
      )
    }) as typeof fetch
  }

  /**
   * Sends one request through the policy. Resolves to a Response (./response.ts: what callers use
   * of a WHATWG Response; a body read whole makes no web stream) whose body streams from the
   * socket. The intent row is committed before the request is sent; the outcome row is written when
   * the exchange ends (complete, failed or aborted).
   * Throws EgressRefusedError (nothing sent), EgressConnectionError, or the signal's reason.
   */
  async request(req: EgressRequest): Promise<Response> {
    return this.exchange(req, req.signal ? [req.signal] : [])
  }

  /**
   * `request`, aborted by any of `signals` or by the time limit. Cancellation is a watch (no
   * AbortSignal of its own: see abort.ts) that destroys the connection's request when it fires,
   * and is released when the exchange ends — the outcome row is written, or it failed before
   * anything was sent — so nothing of it outlives the request.
   */
  private async exchange(req: Omit<EgressRequest, 'signal'>, signals: AbortSignal[]): Promise<Response> {
    const stop = watchAbort(signals, req.timeoutMs)
    try {
      return await this.send(req, stop)
    } catch (e) {
      stop.release()
      throw e
    }
  }

  private async send(req: Omit<EgressRequest, 'signal'>, stop: AbortWatch): Promise<Response> {
    const started = Date.now()
    const startedAt = new Date(started).toISOString()
    const destination = destinationOf(req.url)
    const url = new URL(req.url)
    const body =
      typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body ? Buffer.from(req.body) : null
    const bodySha256 = sha256Hex(body ?? Buffer.alloc(0))
    const method = (req.method ?? 'GET').toUpperCase()
    const path = url.pathname
    const base: AuditBase = {
      actor: this.actor,
      endpointId: req.endpointId ?? null,
      host: destination.host,
      port: destination.port,
      purpose: req.purpose,
      bodySha256,
      ts: startedAt,
    }

    stop.throwIfAborted()

    const pinned = await this.admit(destination, base, `${method} ${path}`, body?.length ?? 0)
    stop.throwIfAborted()
    // Write-ahead: the intent is committed (visible to every connection, in the WAL file) before
    // the first byte can leave. If it cannot be committed, nothing is sent.
    let intentSeq: number
    const intentRecord = {
      ...base,
      kind: 'request',
      address: pinned.address,
      bytesSent: body?.length ?? 0,
      outcome: INTENT_OUTCOME,
      detail: `${method} ${path}: about to send ${body?.length ?? 0} body bytes (plus request line and headers)`,
    } as const
    try {
      intentSeq = (await appendAuditWriteAhead(this.db, intentRecord)).seq
    } catch (e) {
      throw new Error(
        `Could not write the audit row for ${destination.label}, so nothing was sent: ${(e as Error).message}`,
        { cause: e },
      )
    }
    markInFlight(this.db, intentSeq)
    const lookup: LookupFunction = (_hostname, options, callback) => {
      const cb = callback as (
        err: Error | null,
        address: string | { address: string; family: number }[],
        family?: number,
      ) => void
      if ((options as { all?: boolean }).all) cb(null, [{ address: pinned.address, family: pinned.family }])
      else cb(null, pinned.address, pinned.family)
    }
    const headers: Record<string, string> = { ...(req.headers ?? {}) }
    if (body) headers['content-length'] = String(body.length)
    const options: RequestOptions = {
      host: destination.host,
      port: destination.port,
      path: url.pathname + url.search,
      method,
      headers,
      agent: this.agentFor(destination.protocol, pinned),
      lookup,
      family: pinned.family,
    }
    const send = destination.protocol === 'https:' ? httpsRequest : httpRequest

    return new Promise<Response>((resolve, reject) => {
      let socket: Socket | null = null
      // A kept-alive socket has carried earlier requests: count only this one's bytes.
      let bytesBefore = { written: 0, read: 0 }
      let response: IncomingMessage | null = null
      let complete = false
      let failure: Error | null = null
      let settled = false
      let recorded: Promise<Error | null> | null = null
      let cancelled = false

      /**
       * Writes the request's outcome row, once, as soon as the exchange has ended — the caller sees
       * the end of the body or the error only after it has committed, so a finished call always
       * has its row. The fields are fixed now; the row commits with others ending in the same turn.
       * Resolves to the error if the row could not be written (the caller then fails too, and the
       * intent stays unfinished).
       */
      const record = (): Promise<Error | null> => (recorded ??= writeRow())
      const writeRow = (): Promise<Error | null> => {
        // The exchange has ended: its time limit and its link to the caller's signals go now.
        stop.release()
        const ms = Date.now() - started
        let outcome: string
        let detail: string
        const status = response?.statusCode
        if (complete && status !== undefined) {
          outcome = status >= 200 && status < 300 ? 'ok' : 'http_error'
          detail = `${method} ${path} → HTTP ${status} in ${ms} ms`
        } else if (cancelled && status !== undefined) {
          outcome = status >= 200 && status < 300 ? 'ok' : 'http_error'
          detail = `${method} ${path} → HTTP ${status} in ${ms} ms (reader stopped before the end of the body)`
        } else if (stop.aborted) {
          const timedOut = (stop.reason as Error | undefined)?.name === 'TimeoutError'
          outcome = timedOut ? 'timeout' : 'aborted'
          detail = `${method} ${path}${status !== undefined ? ` → HTTP ${status}` : ''}: ${timedOut ? `timed out after ${ms} ms` : `cancelled after ${ms} ms`}`
        } else {
          outcome = 'network_error'
          const code = (failure as NodeJS.ErrnoException | null)?.code ?? 'INCOMPLETE'
          detail = `${method} ${path}${status !== undefined ? ` → HTTP ${status}` : ''}: ${code} after ${ms} ms${status !== undefined ? ' (response incomplete)' : ''}`
        }
        return appendAuditSoon(this.db, {
          ...base,
          ts: new Date().toISOString(),
          kind: 'request',
          address: pinned.address,
          bytesSent: socket ? socket.bytesWritten - bytesBefore.written : 0,
          bytesReceived: socket ? socket.bytesRead - bytesBefore.read : 0,
          outcome,
          detail,
          completes: intentSeq,
        }).then(
          () => {
            clearInFlight(this.db, intentSeq)
            return null
          },
          (e: unknown) => {
            clearInFlight(this.db, intentSeq)
            return new Error(
              `Could not write the audit row for ${destination.label} (intent row ${intentSeq} stays unfinished): ${(e as Error).message}`,
              { cause: e },
            )
          },
        )
      }

      const failed = (e: Error): unknown =>
        stop.aborted ? stop.reason : connectionError(destination.label, e)

      const fail = (e: Error) => {
        failure ??= e
        const written = record()
        if (settled) return
        settled = true
        const error = failed(e)
        void written.then((auditError) => reject(auditError ?? error))
      }

      let request: ClientRequest
      try {
        request = send(options, (res) => {
          response = res
          settled = true
          const status = res.statusCode ?? 0
          const responseHeaders = new Headers()
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) responseHeaders.append(k, x)
            else if (v !== undefined) responseHeaders.set(k, v)
          }
          const ended = () => {
            complete = true
            return record()
          }
          const queue = NULL_BODY_STATUS.has(status) ? null : new BodyQueue(res)
          if (!queue) {
            res.on('end', () => void ended())
            res.resume()
          } else {
            res.on('data', (chunk: Buffer) =>
              queue.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
            )
            res.on('end', () => {
              void ended().then((auditError) => {
                if (auditError) queue.fail(auditError)
                else if (!cancelled) queue.close()
              })
            })
            const broke = (e: Error) => {
              failure ??= e
              const error = failed(e)
              void record().then((auditError) => queue.fail(auditError ?? error))
            }
            res.on('error', (e) => {
              if (complete || cancelled) return
              broke(e)
            })
            res.on('close', () => {
              if (complete || cancelled || recorded) return
              broke(
                Object.assign(new Error('connection dropped during the response'), {
                  code: 'ECONNRESET',
                }),
              )
            })
          }
          const cancel = async () => {
            cancelled = true
            const written = record()
            res.destroy()
            const auditError = await written
            if (auditError) throw auditError
          }
          try {
            if (status < 200 || status > 599) throw new RangeError(`status ${status} is outside 200–599`)
            const response = new GuardedResponse({
              status,
              statusText: res.statusMessage ?? '',
              headers: responseHeaders,
              queue,
              cancel,
            })
            resolve(response as unknown as Response)
          } catch (e) {
            res.destroy()
            failure ??= e as Error
            void record().then((auditError) =>
              reject(
                auditError ??
                  new EgressConnectionError(
                    destination.label,
                    'EPROTO',
                    `${destination.label}: unusable HTTP status ${status}`,
                    { cause: e },
                  ),
              ),
            )
          }
        })
      } catch (e) {
        failure = e as Error
        void record().then((auditError) => reject(auditError ?? e))
        return
      }
      request.on('socket', (s: Socket) => {
        socket = s
        bytesBefore = { written: s.bytesWritten, read: s.bytesRead }
      })
      request.on('error', fail)
      // Cancelled or out of time: the request (and its socket) is destroyed, as http.request's
      // `signal` option would; its 'error' (or the response's) then settles the exchange.
      stop.onAbort((reason) => request.destroy(abortError(reason)))
      request.on('close', () => {
        if (settled && recorded) return
        if (!complete && !failure && !cancelled && !stop.aborted) {
          failure = Object.assign(new Error('connection closed before the response completed'), {
            code: 'ECONNRESET',
          })
        }
        if (!settled) fail(failure ?? new Error('connection closed'))
        else if (!response) void record()
      })
      request.end(body ?? undefined)
    })
  }

  /**
   * Delivers bytes over a TCP (or TLS) connection through the same policy and write-ahead audit as
   * HTTP requests: refused unless loopback or approved, intent row committed before connecting,
   * outcome row (bytes each way, outcome) after. Throws EgressRefusedError or EgressConnectionError.
   */
  async sendStream(req: StreamRequest): Promise<{ bytesSent: number; auditSeq: number }> {
    const started = Date.now()
    const host = bareHost(req.host)
    const destination = { host, port: req.port, label: formatHostPort(host, req.port) }
    const base: AuditBase = {
      actor: this.actor,
      endpointId: null,
      host,
      port: req.port,
      purpose: req.purpose,
      bodySha256: sha256Hex(req.payload),
      ts: new Date(started).toISOString(),
    }
    const what = `${req.tls ? 'TLS' : 'TCP'} stream`
    const pinned = await this.admit(destination, base, what, req.payload.length)
    const intent = await appendAuditWriteAhead(this.db, {
      ...base,
      kind: 'request',
      address: pinned.address,
      bytesSent: req.payload.length,
      outcome: INTENT_OUTCOME,
      detail: `${what}: about to send ${req.payload.length} bytes`,
    })
    markInFlight(this.db, intent.seq)
    const r = await deliverOverSocket(req, pinned)
    const ms = Date.now() - started
    try {
      await appendAuditSoon(this.db, {
        ...base,
        ts: new Date().toISOString(),
        kind: 'request',
        address: pinned.address,
        bytesSent: r.bytesSent,
        bytesReceived: r.bytesReceived,
        outcome: r.timedOut ? 'timeout' : r.error ? 'network_error' : 'ok',
        detail: r.error
          ? `${what}: ${r.error.code ?? 'ERROR'} after ${ms} ms`
          : `${what}: delivered ${r.bytesSent} bytes in ${ms} ms`,
        completes: intent.seq,
      })
    } finally {
      clearInFlight(this.db, intent.seq)
    }
    if (r.error)
      throw new EgressConnectionError(
        destination.label,
        r.error.code ?? 'ERROR',
        `${destination.label}: ${r.error.message}`,
        {
          cause: r.error,
        },
      )
    return { bytesSent: r.bytesSent, auditSeq: intent.seq }
  }
}

function abortError(reason: unknown): Error {
  return Object.assign(new Error('The operation was aborted', { cause: reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  })
}

function connectionError(label: string, e: Error): EgressConnectionError {
  const code = (e as NodeJS.ErrnoException).code ?? 'ECONNRESET'
  return new EgressConnectionError(label, code, `${label}: ${e.message || code}`, { cause: e })
}

function normalizeHeaders(h: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  if (!h) return out
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v))
  else if (Array.isArray(h)) for (const [k, v] of h) out[k!] = v!
  else Object.assign(out, h)
  return out
}

function bodyBytes(body: RequestInit['body']): string | Uint8Array | null {
  if (body === null || body === undefined) return null
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  throw new TypeError('The egress guard sends string or byte bodies only.')
}
