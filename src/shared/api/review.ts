// Channels of the review feature. Filled in by its issue; combined in ./contract.ts.
export const reviewContract = {} as const

export const reviewEvents = {} as const
