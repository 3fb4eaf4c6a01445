// How EC2 failures are told apart and put into words that never carry a credential.

/** Codes EC2 gives when the signing credentials expired or were rejected as a whole. */
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'AuthFailure'])

/** The SDK's own error when no provider of its chain has credentials. */
const NO_CREDENTIALS = 'CredentialsProviderError'

/** Environment variables whose values must never reach a log line or an error message. */
const SECRET_VARIABLES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID']

/** The error code of an EC2 failure: the SDK puts it in `name` (and `Code` for EC2's query protocol). */
export function errorCode(error: unknown): string {
  if (!error || typeof error !== 'object') return ''
  const { name, Code: code } = error as { name?: unknown; Code?: unknown }
  if (typeof name === 'string' && name && name !== 'Error') return name
  return typeof code === 'string' ? code : ''
}

export const hasCode = (error: unknown, ...codes: string[]): boolean => codes.includes(errorCode(error))

/** Replaces the current credential values with `***`, wherever they appear. */
export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let safe = text
  for (const variable of SECRET_VARIABLES) {
    const value = env[variable]?.trim()
    // Very short values would blank out ordinary words; real credentials are 16 characters or more.
    if (value && value.length >= 8) safe = safe.split(value).join('***')
  }
  return safe
}

/** `Code: message` of an error, safe to log. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const code = errorCode(error)
  return redact(code && !message.startsWith(code) ? `${code}: ${message}` : message)
}

/** Thrown when nothing more can be done with the current credentials; its message is safe to show. */
export class CredentialsError extends Error {}

/** A CredentialsError for `error` when the credentials, not the resource, are the problem. */
export function credentialsError(error: unknown, doing: string): CredentialsError | undefined {
  if (error instanceof CredentialsError) return error
  const code = errorCode(error)
  const retry = 'run destroy again with fresh credentials (aws-actions/configure-aws-credentials); it finds the cluster by its tags'
  if (EXPIRED_CREDENTIALS.has(code)) {
    return new CredentialsError(`the AWS credentials expired or were rejected (${code}) while ${doing}; ${retry}`)
  }
  if (code === NO_CREDENTIALS) return new CredentialsError(`no AWS credentials were found while ${doing}; ${retry}`)
  return undefined
}

/** Rethrows `error` as a CredentialsError when it is one; returns otherwise. */
export function throwIfCredentials(error: unknown, doing: string): void {
  const credentials = credentialsError(error, doing)
  if (credentials) throw credentials
}
