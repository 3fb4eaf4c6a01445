// Diagnostics go into an artifact that anyone who can read the run can download: whatever an engine
// or a command printed passes through here first. Join tokens, unlock keys and private keys are
// replaced wherever they appear; the values given (the run's own secrets) too.

const SECRET_PATTERNS = [
  /SWMTKN-1-[0-9a-z]+-[0-9a-z]+/gi,
  /SWMKEY-1-[A-Za-z0-9+/=]+/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g
]

export const REDACTED = '[redacted]'

export function redact(text: string, secrets: string[] = []): string {
  let result = SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, REDACTED), text)
  for (const secret of secrets.filter((value) => value.length >= 8)) result = result.split(secret).join(REDACTED)
  return result
}
