// Channels of the leaderboard feature (mean win rate, macro-averages, cost). Combined in ./contract.ts.
export const leaderboardContract = {} as const

export const leaderboardEvents = {} as const
