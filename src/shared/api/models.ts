// Channels of the models feature. Filled in by its issue; combined in ./contract.ts.
export const modelsContract = {} as const

export const modelsEvents = {} as const
