import type { ApiIssue, ErrorCode } from '../shared/api/envelope'

/**
 * A failure the user can act on. `code` travels across IPC and into CLI exit messages;
 * `message` must name what went wrong precisely (file, line, field) and must never contain PHI.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly issues: ApiIssue[] | undefined
  constructor(code: ErrorCode, message: string, options?: { issues?: ApiIssue[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.issues = options?.issues
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}

/**
 * What a bad-input message says about a value it did not expect, without the value itself (it may
 * be patient text from a shifted column): "found something else (12 characters)", or "found an
 * empty value".
 */
export function foundInstead(value: string): string {
  const n = [...value].length
  return n === 0 ? 'found an empty value' : `found something else (${n} character${n === 1 ? '' : 's'})`
}
