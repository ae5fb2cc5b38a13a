/**
 * The typed errors every service throws and every transport carries to the UI.
 * A code says what went wrong, `field` which form field it concerns.
 */
export const ERROR_CODES = [
  'invalid-input', // the request does not match the contract
  'invalid-name', // a project or agent name breaks Docker's rule
  'not-found', // the agent, volume or image asked for does not exist
  'already-exists', // the name is taken
  'workspace-missing', // the workspace folder is missing or not a folder
  'image-missing', // the image is not on the engine (build it, or pick another)
  'engine-unavailable', // no engine answers
  'engine-refused', // the engine answered with an error
  'in-use', // a volume or image is used by a container
  'credentials', // a credential file could not be read or written safely
  'cancelled', // the user or a shutdown stopped the work
  'internal', // a bug: anything else
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorPayload {
  code: ErrorCode
  message: string
  /** The form field the error concerns, e.g. "project", "agent", "workspace", "image". */
  field?: string
  /** The engine's own words, shown on request beside the message (never as it). */
  detail?: string
}

export class ClawkerError extends Error {
  readonly code: ErrorCode
  readonly field?: string
  readonly detail?: string

  constructor(code: ErrorCode, message: string, opts: { field?: string; detail?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause })
    this.name = 'ClawkerError'
    this.code = code
    if (opts.field !== undefined) this.field = opts.field
    if (opts.detail !== undefined) this.detail = opts.detail
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.detail === undefined ? {} : { detail: this.detail }),
    }
  }

  static fromPayload(p: ErrorPayload): ClawkerError {
    return new ClawkerError(p.code, p.message, { ...(p.field === undefined ? {} : { field: p.field }), ...(p.detail === undefined ? {} : { detail: p.detail }) })
  }
}
