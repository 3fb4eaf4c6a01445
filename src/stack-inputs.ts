import path from 'node:path'
import type { InputReader } from './input-values.js'

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

// docker's reference grammar, loosely: name components, optional :tag, optional @digest; or an ID.
const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9][a-zA-Z0-9._-]*(?::[0-9]+)?\/)*[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$|^(?:sha256:)?[a-f0-9]{12,64}$/

export function parseImages(read: InputReader): string[] {
  const images = [...new Set(listLines(read, 'images'))]
  for (const image of images) {
    if (!IMAGE_REFERENCE.test(image)) throw new Error(`input \`images\`: "${image}" is not an image reference; give one per line, e.g. \`myapp:ci\``)
  }
  return images
}

const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/

export function parseStack(read: InputReader): StackInputs | undefined {
  const files = listLines(read, 'stack')
  const given = read('stack-name').trim()
  if (files.length === 0) {
    if (given) throw new Error('input `stack-name` names the stack of the `stack` input, which is empty: give the compose files in `stack`')
    return undefined
  }
  const name = given || defaultStackName(files[0])
  if (!STACK_NAME.test(name)) {
    throw new Error(`input \`stack-name\`: "${name}" is not a stack name; use letters, digits, '-' and '_', starting with a letter or digit`)
  }
  return { files, name }
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
