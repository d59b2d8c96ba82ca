/**
 * 0013 — the index on requests.cache_key goes. No query reads requests by cache key (the response
 * cache is its own table, keyed by it), and each request's insert had to place a random sha256 in
 * that index: a page of its own written to the WAL at every commit of a run's results
 * (bench/run-throughput.ts).
 */
export const sql = /* sql */ `
DROP INDEX IF EXISTS requests_cache_key;
`
