// Writes the inputs and outputs tables of README.md and docs/*.md from the action.yml files, so the
// reference never drifts from what the runner reads. A table sits between two marker comments:
//   <!-- inputs:start --> … <!-- inputs:end -->                   the main action's inputs (action.yml)
//   <!-- outputs:start --> … <!-- outputs:end -->                 its outputs
//   <!-- destroy/inputs:start --> … <!-- destroy/inputs:end -->   destroy/action.yml's inputs; likewise
//                                                                 diagnose/, sweep/, build/ and outputs
// Inputs: name, description, default (and required, where an input of that action is required);
// a "Default: …" sentence of a description goes into the default column when action.yml gives no
// default. Outputs: name, description.
// Plain JavaScript, run by Node 24: `npm run docs` rewrites the tables; `--check` changes nothing
// and exits 1 naming each table that differs (a unit test runs it); `--root DIR` reads another copy
// of the repository.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The Markdown files that may hold tables, relative to the root: the README and every docs page. */
export function markdownFiles(root = ROOT) {
  let docs = []
  try {
    docs = readdirSync(path.join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => path.join('docs', name))
  } catch {
    // No docs/ yet: the README alone.
  }
  return ['README.md', ...docs]
}

const MARKERS = /<!-- ((?:([\w-]+)\/)?(inputs|outputs)):start -->\n[\s\S]*?<!-- \1:end -->/g

/** One table cell: a single line, its pipes escaped. */
const cell = (text) =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')

/**
 * A description without its "Default: …" sentence, and that sentence's value. Sentences end at a
 * period followed by a space and a capital letter or a backtick (a URL's dots do not end one).
 */
export function splitDefault(description) {
  const sentences = cell(description).split(/(?<=\.)\s+(?=[A-Z`])/)
  const index = sentences.findIndex((sentence) => sentence.startsWith('Default: '))
  if (index === -1) return { description: sentences.join(' '), default: '' }
  const value = sentences[index].slice('Default: '.length).replace(/\.$/, '')
  // What is left reads as the other descriptions do: no closing period.
  const rest = sentences
    .filter((_, i) => i !== index)
    .join(' ')
    .replace(/\.$/, '')
  return { description: rest, default: value }
}

const row = (cells) => `| ${cells.join(' | ')} |`

/** The Markdown table of one action's inputs or outputs. */
export function table(action, kind) {
  const entries = Object.entries(action[kind] ?? {})
  if (entries.length === 0) throw new Error(`it declares no ${kind}`)
  if (kind === 'outputs') {
    return [row(['name', 'description']), row(['---', '---']), ...entries.map(([name, spec]) => row([`\`${name}\``, cell(spec?.description)]))].join(
      '\n'
    )
  }
  const required = entries.some(([, spec]) => spec?.required === true)
  const header = required ? ['name', 'description', 'required', 'default'] : ['name', 'description', 'default']
  const lines = entries.map(([name, spec]) => {
    const given = spec?.default === undefined || spec.default === null ? '' : String(spec.default)
    const split = splitDefault(spec?.description)
    const defaultCell = given !== '' ? `\`${cell(given)}\`` : split.default
    const description = given !== '' ? cell(spec?.description) : split.description
    return row([`\`${name}\``, description, ...(required ? [spec?.required === true ? 'yes' : 'no'] : []), defaultCell])
  })
  return [row(header), row(header.map(() => '---')), ...lines].join('\n')
}

/** `text` with every marked table written anew from the action.yml files under `root`. */
export function renderTables(text, root = ROOT) {
  const actions = new Map()
  const action = (dir) => {
    if (!actions.has(dir)) actions.set(dir, parse(readFileSync(path.join(root, dir, 'action.yml'), 'utf8')))
    return actions.get(dir)
  }
  return text.replace(MARKERS, (_, marker, dir = '.', kind) => {
    let body
    try {
      body = table(action(dir), kind)
    } catch (error) {
      throw new Error(`<!-- ${marker}:start -->: ${path.join(dir, 'action.yml')}: ${error.message}`, { cause: error })
    }
    return `<!-- ${marker}:start -->\n${body}\n<!-- ${marker}:end -->`
  })
}

/** The markers a text holds, in order. */
const markersOf = (text) => [...text.matchAll(MARKERS)].map((match) => match[1])

/**
 * Every file under `root` whose tables differ from what the action.yml files say, each with the
 * tables that differ; and what is missing (the README must hold the main action's two tables).
 */
export function staleTables(root = ROOT) {
  const problems = []
  for (const file of markdownFiles(root)) {
    const text = readFileSync(path.join(root, file), 'utf8')
    const fresh = renderTables(text, root)
    if (file === 'README.md') {
      for (const marker of ['inputs', 'outputs'])
        if (!markersOf(text).includes(marker)) problems.push(`${file}: no <!-- ${marker}:start --> … <!-- ${marker}:end --> table`)
    }
    if (fresh === text) continue
    const old = [...text.matchAll(MARKERS)].map((match) => match[0])
    const now = [...fresh.matchAll(MARKERS)].map((match) => match[0])
    const differing = markersOf(text).filter((_, i) => old[i] !== now[i])
    problems.push(`${file}: ${differing.join(', ')} differ from the action.yml files; run \`npm run docs\``)
  }
  return problems
}

/** Rewrites the tables of every file under `root`; returns the files it changed. */
export function writeTables(root = ROOT) {
  const changed = []
  for (const file of markdownFiles(root)) {
    const text = readFileSync(path.join(root, file), 'utf8')
    const fresh = renderTables(text, root)
    if (fresh !== text) {
      writeFileSync(path.join(root, file), fresh)
      changed.push(file)
    }
  }
  return changed
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2)
  const rootAt = args.indexOf('--root')
  const root = rootAt === -1 ? ROOT : path.resolve(args[rootAt + 1])
  if (args.includes('--check')) {
    const problems = staleTables(root)
    for (const problem of problems) console.log(`✗ ${problem}`)
    console.log(problems.length ? `${problems.length} stale or missing table(s)` : 'every table is what the action.yml files say')
    process.exitCode = problems.length ? 1 : 0
  } else {
    const changed = writeTables(root)
    console.log(changed.length ? `rewrote the tables of ${changed.join(', ')}` : 'every table was up to date')
  }
}
