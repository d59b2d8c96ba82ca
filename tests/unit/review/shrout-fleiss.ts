/**
 * Shrout & Fleiss (1979), Table 2: 6 targets (rows) rated by 4 judges (columns). Their Table 4 gives
 * ICC(1,1) .17, (2,1) .29, (3,1) .71, (1,k) .44, (2,k) .62, (3,k) .91 (also psych::ICC's `sf`).
 */
export const SHROUT_FLEISS = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
]
