/**
 * The window's first script, kept small: it asks for what the first screen needs (the engine's
 * status, the start-up notes, the agent list) before React and the app (the large chunk) are
 * fetched and compiled, so the answers are on their way meanwhile.
 */
import { askEarly } from './early'

const early = askEarly()
void import('./boot').then((m) => m.boot(early))
