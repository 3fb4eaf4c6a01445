import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { checkImageReference } from '../inputs/names.js'
import { splitWords } from '../inputs/option-lines.js'

// What the build action builds on the runner's engine: Dockerfile contexts given with their tags,
// and the `build:` sections of compose files (each service's `image:` is its tag). Pure: no docker.

export interface ImageBuild {
  tag: string
  context: string
  dockerfile?: string
  target?: string
  args: Record<string, string>
  /** Where it was asked for, for messages. */
  from: string
}

/** `<tag> <context> [<Dockerfile>]`, one image a line; words split like a shell's, never run through one. */
export function parseBuildLines(text: string, inputName = 'images'): ImageBuild[] {
  return text.split(/\r?\n/).flatMap((line, index): ImageBuild[] => {
    if (!line.trim() || line.trim().startsWith('#')) return []
    const words = splitWords(line)
    if (words.length < 2 || words.length > 3) {
      throw new Error(`input \`${inputName}\`, line ${index + 1} (${line.trim()}): expected \`<tag> <context> [<Dockerfile>]\``)
    }
    const [tag, context, dockerfile] = words
    return [{ tag: checkImageReference(tag, inputName), context, dockerfile, args: {}, from: `input \`${inputName}\`, line ${index + 1}` }]
  })
}

interface ComposeService {
  image?: string
  build?: string | { context?: string; dockerfile?: string; target?: string; args?: Record<string, string | number> | string[] }
}

/** Every service of a compose file with a `build:` section; its `image:` names the tag the stack deploys. */
export function composeBuilds(file: string): ImageBuild[] {
  let document: { services?: Record<string, ComposeService> }
  try {
    document = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as typeof document
  } catch (error) {
    throw new Error(`input \`compose-files\`: cannot read ${file}: ${(error as Error).message.split('\n')[0]}`, { cause: error })
  }
  const dir = path.dirname(file)
  return Object.entries(document.services ?? {}).flatMap(([service, spec]): ImageBuild[] => {
    if (!spec.build) return []
    const from = `${file}, service ${service}`
    if (!spec.image) throw new Error(`input \`compose-files\`: ${from} has \`build:\` but no \`image:\`; the stack deploys the image by that name`)
    const build = typeof spec.build === 'string' ? { context: spec.build } : spec.build
    const args = Array.isArray(build.args)
      ? Object.fromEntries(build.args.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]))
      : Object.fromEntries(Object.entries(build.args ?? {}).map(([key, value]) => [key, String(value)]))
    return [
      {
        tag: checkImageReference(spec.image, 'compose-files'),
        context: path.join(dir, build.context ?? '.'),
        dockerfile: build.dockerfile,
        target: build.target,
        args,
        from
      }
    ]
  })
}

/** `docker build` argv; a Dockerfile is relative to its context, as compose and `docker build -f` read it here. */
export function buildArgs(image: ImageBuild): string[] {
  return [
    'build',
    '--tag',
    image.tag,
    ...(image.dockerfile ? ['--file', path.join(image.context, image.dockerfile)] : []),
    ...(image.target ? ['--target', image.target] : []),
    ...Object.entries(image.args).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
    image.context
  ]
}
