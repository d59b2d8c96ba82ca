import type { AddressChange } from '../../shared/api/models'
import { AppError } from '../errors'

/** A reason that begins with the destination says "it" instead (the message names it once). */
function withoutName(reason: string, destination: string): string {
  return reason.startsWith(`${destination} `) ? `it${reason.slice(destination.length)}` : reason
}

/** The egress policy refused a destination. Nothing was sent; the refusal is in the audit log. */
export class EgressRefusedError extends AppError {
  constructor(
    readonly destination: string,
    readonly reason: string,
    readonly auditSeq: number,
    /** An approved name now resolving to addresses nobody approved: what re-approval would pin. */
    readonly addressChange: AddressChange | null = null,
  ) {
    super(
      'egress_refused',
      `Refused to connect to ${destination}: ${withoutName(reason, destination)} (audit row ${auditSeq}).`,
    )
    this.name = 'EgressRefusedError'
  }
}

/** The connection failed or broke: refused, reset, dropped mid-response, name not found. */
export class EgressConnectionError extends Error {
  constructor(
    readonly destination: string,
    /** The system error code (ECONNREFUSED, ECONNRESET, ENOTFOUND…) or 'EPIPE'/'INCOMPLETE'. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'EgressConnectionError'
  }
}
