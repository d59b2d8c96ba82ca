// Channels of the scoring feature. Filled in by its issue; combined in ./contract.ts.
export const scoringContract = {} as const

export const scoringEvents = {} as const
