import { z } from 'zod'

/** Every error that crosses the process boundary carries one of these codes. */
export const ERROR_CODES = [
  'invalid_input', // the caller sent something the contract does not accept
  'forbidden', // the sender is not the app's own top-level frame
  'unknown_channel',
  'not_found',
  'conflict',
  'bad_data', // a file or record the user supplied is malformed
  'egress_refused', // the egress guard refused a destination
  'unavailable', // a model server or other dependency did not answer
  'internal',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export const ApiIssue = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })
export type ApiIssue = z.infer<typeof ApiIssue>

export const ApiErrorShape = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(ApiIssue).optional(),
})
export type ApiErrorShape = z.infer<typeof ApiErrorShape>

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape }

/** Thrown on the renderer side (and by the CLI) when an envelope carries an error. */
export class ApiError extends Error {
  readonly code: ErrorCode
  readonly issues: ApiIssue[] | undefined
  constructor(shape: ApiErrorShape) {
    super(shape.message)
    this.name = 'ApiError'
    this.code = shape.code
    this.issues = shape.issues
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value
  throw new ApiError(envelope.error)
}
