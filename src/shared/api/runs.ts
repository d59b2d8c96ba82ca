// Channels of the runs feature. Filled in by its issue; combined in ./contract.ts.
export const runsContract = {} as const

export const runsEvents = {} as const
