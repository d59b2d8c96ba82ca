import { connect as netConnect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { EgressPurpose } from '../../shared/api/models'
import type { ResolvedAddress } from './policy'

/** One delivery over a raw TCP (optionally TLS) connection: syslog to a log collector. */
export interface StreamRequest {
  /** Host name or IP literal, as approved. */
  host: string
  port: number
  tls: boolean
  /** Extra certificate authorities (PEM) trusted for the TLS connection, besides the system's. */
  ca?: string
  /** The bytes to deliver; the connection is closed after them. */
  payload: Buffer
  purpose: EgressPurpose
  /** Gives up (connection, TLS handshake and delivery) after this long. */
  timeoutMs: number
}

export interface StreamOutcome {
  bytesSent: number
  bytesReceived: number
  error: (Error & { code?: string }) | null
  timedOut: boolean
}

/**
 * Connects to the checked address (never a fresh DNS answer), writes the payload, half-closes and
 * waits for the peer to close. TLS verifies the certificate against the host name as written.
 * Resolves with the bytes on the wire and the failure, if any; never rejects.
 */
export function deliverOverSocket(req: StreamRequest, pinned: ResolvedAddress): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    let socket: Socket
    let settled = false
    let timedOut = false
    const done = (error: (Error & { code?: string }) | null) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      const outcome = { bytesSent: socket.bytesWritten, bytesReceived: socket.bytesRead, error, timedOut }
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => {
      timedOut = true
      done(Object.assign(new Error(`no delivery within ${req.timeoutMs} ms`), { code: 'ETIMEDOUT' }))
    }, req.timeoutMs)
    const send = () => {
      socket.end(req.payload)
    }
    if (req.tls) {
      socket = tlsConnect(
        {
          host: pinned.address,
          port: req.port,
          servername: isIP(req.host) ? undefined : req.host,
          ...(req.ca ? { ca: req.ca } : {}),
        },
        send,
      )
    } else {
      socket = netConnect({ host: pinned.address, port: req.port, family: pinned.family }, send)
    }
    socket.on('error', (e) => done(e))
    socket.on('data', () => {})
    // Written and closed by both sides: delivered. A close before the payload left is a failure.
    socket.on('close', () =>
      done(
        socket.bytesWritten >= req.payload.length
          ? null
          : Object.assign(new Error('connection closed before the payload was sent'), { code: 'ECONNRESET' }),
      ),
    )
  })
}
