/** The dispatcher's per-request signal is the egress guard's (one implementation, src/main/egress/abort.ts). */
export { linkedAbort, type LinkedAbort } from '../egress/abort'
