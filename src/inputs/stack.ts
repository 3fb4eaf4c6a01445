import path from 'node:path'
import { checkImageReference, checkStackName } from './names.js'
import type { InputReader } from './values.js'

// Readers of the integration inputs: `images`, `stack`, `stack-name`.

export interface StackInputs {
  /** Compose files, as given (relative to the step's working directory). */
  files: string[]
  name: string
}

/** Lines of an input, trimmed, without blank lines and `#` comments. */
function listLines(read: InputReader, inputName: string): string[] {
  return read(inputName)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
}

export function parseImages(read: InputReader): string[] {
  return [...new Set(listLines(read, 'images'))].map((image) => checkImageReference(image, 'images'))
}

export function parseStack(read: InputReader): StackInputs | undefined {
  const files = listLines(read, 'stack')
  const given = read('stack-name').trim()
  if (files.length === 0) {
    if (given) throw new Error('input `stack-name` names the stack of the `stack` input, which is empty: give the compose files in `stack`')
    return undefined
  }
  return { files, name: checkStackName(given || defaultStackName(files[0])) }
}

/** As docker compose names a project: the compose file's directory, made a valid name. */
export function defaultStackName(composeFile: string): string {
  const dir = path.basename(path.dirname(path.resolve(composeFile)))
  const name = dir
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63)
  return name || 'stack'
}
