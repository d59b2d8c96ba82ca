// Channels of the benchmarks feature. Filled in by its issue; combined in ./contract.ts.
export const benchmarksContract = {} as const

export const benchmarksEvents = {} as const
