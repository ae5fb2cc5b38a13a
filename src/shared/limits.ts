/**
 * The contract's bounds, as plain numbers: the window imports them from here, not from
 * contract.ts, which would bring zod (a fifth of the window's first script) with it.
 */

/** How many agents one Start, Stop or Remove of a selection may name (the list is virtual; a selection is bounded). */
export const MANY_MAX = 1000
/** How many agents' stats streams one window may hold at once: the rows in view, with room to spare. */
export const STATS_WATCH_MAX = 64
