import { isIP } from 'node:net'

// Readers of single input values: each names its input in its error and says what it takes.

export type InputReader = (name: string) => string

export function parseCount(read: InputReader, inputName: string, fallback: number, minimum: number): number {
  return parseInteger(read, inputName, fallback, minimum, 250)
}

export function parseInteger(read: InputReader, inputName: string, fallback: number, minimum: number, maximum: number): number {
  const text = read(inputName).trim()
  if (text === '') return fallback
  if (!/^\d+$/.test(text) || Number(text) < minimum || Number(text) > maximum) {
    throw new Error(`input \`${inputName}\`: "${text}" is not a whole number from ${minimum} to ${maximum}`)
  }
  return Number(text)
}

const TRUE_WORDS = ['true', 'True', 'TRUE']
const FALSE_WORDS = ['false', 'False', 'FALSE']

export function parseBoolean(read: InputReader, inputName: string, fallback: boolean): boolean {
  const text = read(inputName).trim()
  if (text === '') return fallback
  if (TRUE_WORDS.includes(text)) return true
  if (FALSE_WORDS.includes(text)) return false
  throw new Error(`input \`${inputName}\`: "${text}" is not a boolean; use true or false`)
}

export function parseUrl(read: InputReader, inputName: string, fallback: string): string {
  const text = read(inputName).trim() || fallback
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(`input \`${inputName}\`: "${text}" is not a URL`)
  }
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new Error(`input \`${inputName}\`: "${text}" must be an http or https URL`)
  }
  return text.replace(/\/+$/, '')
}

export function parseSha256(read: InputReader): string {
  const text = read('machine-sha256').trim().toLowerCase()
  if (text !== '' && !/^[0-9a-f]{64}$/.test(text)) {
    throw new Error('input `machine-sha256`: expected 64 hexadecimal digits (a SHA-256 checksum)')
  }
  return text
}

/** A duration: seconds, or a number with s, m, h or d (`90m`, `6h`, `7d`). */
export function parseDuration(read: InputReader, inputName: string, fallbackSeconds: number): number {
  const text = read(inputName).trim()
  if (text === '') return fallbackSeconds
  const match = /^(\d+)\s*([smhd]?)$/.exec(text)
  const seconds = match ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'] : 0
  if (!seconds || seconds > 365 * 86400) throw new Error(`input \`${inputName}\`: "${text}" is not a duration such as 90m, 6h or 7d (at most a year)`)
  return seconds
}

/** Items one per line, or separated by commas or spaces; blank lines and #-comments are skipped. */
export function parseList(read: InputReader, inputName: string): string[] {
  return read(inputName)
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter(Boolean)
}

export function isCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/')
  const family = isIP(address ?? '')
  if (!family || rest.length || !/^\d{1,3}$/.test(prefix ?? '')) return false
  return Number(prefix) <= (family === 4 ? 32 : 128)
}

export function parseCidrs(read: InputReader, inputName: string): string[] {
  const cidrs = parseList(read, inputName)
  const bad = cidrs.find((cidr) => !isCidr(cidr))
  if (bad) throw new Error(`input \`${inputName}\`: "${bad}" is not a CIDR such as 203.0.113.7/32`)
  return cidrs
}

/** TCP ports, such as the ports a stack publishes. */
export function parsePorts(read: InputReader, inputName: string): number[] {
  return parseList(read, inputName).map((text) => {
    const port = Number(text.replace(/\/tcp$/, ''))
    if (!/^\d+(\/tcp)?$/.test(text) || port < 1 || port > 65535) throw new Error(`input \`${inputName}\`: "${text}" is not a TCP port (1 to 65535)`)
    return port
  })
}

/** One of a few words. */
export function parseChoice<T extends string>(read: InputReader, inputName: string, choices: readonly T[]): T {
  const text = read(inputName).trim() || choices[0]
  if (!choices.includes(text as T)) throw new Error(`input \`${inputName}\`: "${text}" is not one of ${choices.join(', ')}`)
  return text as T
}
