// Validates every workflow (.github/workflows/*.yml) and every action.yml of the repository (or the
// files given; a Markdown file's complete workflows, the README's by default) with GitHub's own parser, @actions/workflow-parser: the one behind GitHub's editor
// support, which knows node24, workflow_call and workflow_dispatch inputs. It parses against GitHub's
// schemas, then converts each workflow as GitHub does (jobs, needs, reusable workflows called from
// this repository with their inputs and secrets). Exits 1 naming every error with its file and line.
// Plain JavaScript, run by Node 24: `node scripts/validate-workflows.js [file ...]`.
import { readdirSync, readFileSync } from 'node:fs'
import { registerHooks } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The parser imports its JSON schemas without an import attribute, as bundlers allow and Node does
// not: served to Node as modules whose default export is the JSON.
registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && url.endsWith('.json') && url.includes('/@actions/workflow-parser/')) {
      return { format: 'module', source: `export default ${readFileSync(fileURLToPath(url), 'utf8')};`, shortCircuit: true }
    }
    return nextLoad(url, context)
  }
})
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser')
const { parseAction } = await import('@actions/workflow-parser/actions/action-parser')
const { ErrorPolicy } = await import('@actions/workflow-parser/model/convert')

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const subdirectories = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)

/** Every workflow and action of the repository: its own, and the ones its workflows use from .github/actions/. */
export function repositoryFiles(root = ROOT) {
  const workflows = path.join(root, '.github', 'workflows')
  const workflowActions = path.join('.github', 'actions')
  return [
    ...readdirSync(workflows)
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => path.join(workflows, name)),
    ...[
      'action.yml',
      ...subdirectories(root).map((dir) => path.join(dir, 'action.yml')),
      ...subdirectories(path.join(root, workflowActions)).map((dir) => path.join(workflowActions, dir, 'action.yml'))
    ]
      .map((file) => path.join(root, file))
      .filter((file) => {
        try {
          return readFileSync(file) && true
        } catch {
          return false
        }
      })
  ]
}

const isAction = (file) => /(^|\/)action\.ya?ml$/.test(file)

/**
 * Reusable workflows called as `./.github/workflows/x.yml`, and this repository's own as the README
 * calls them (`your-org/setup-swarm/.github/workflows/x.yml@v1`): read from the repository, so a
 * caller is checked against the inputs and secrets the called workflow declares.
 */
function localFiles(root) {
  return {
    async getFileContent(ref) {
      const own = !('repository' in ref) || (ref.owner === 'your-org' && ref.repository === 'setup-swarm')
      if (!own) throw new Error(`only this repository's workflows are read here, not ${ref.owner}/${ref.repository}`)
      return { name: ref.path, content: readFileSync(path.join(root, ref.path), 'utf8') }
    }
  }
}

/** The errors GitHub's parser finds in one file, each `file:line:col: message`. */
export async function validateFile(file, root = ROOT, content = readFileSync(file, 'utf8')) {
  const name = path.relative(root, file)
  const trace = new NoOperationTraceWriter()
  const parsed = isAction(file) ? parseAction({ name, content }, trace) : parseWorkflow({ name, content }, trace)
  if (!isAction(file) && parsed.value && parsed.context.errors.getErrors().length === 0) {
    await convertWorkflowTemplate(parsed.context, parsed.value, localFiles(root), {
      fetchReusableWorkflowDepth: 1,
      errorPolicy: ErrorPolicy.TryConversion
    })
  }
  if (!parsed.value && parsed.context.errors.getErrors().length === 0) return [`${name}: not parsed`]
  return parsed.context.errors.getErrors().map((error) => error.message)
}

/** The complete workflows a Markdown file shows (```yaml blocks with `on:` and `jobs:`), each as `file#n`. */
export function markdownWorkflows(file) {
  const blocks = [...readFileSync(file, 'utf8').matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1])
  return blocks.filter((block) => /^on:/m.test(block) && /^jobs:/m.test(block)).map((content, index) => ({ name: `${file}#${index + 1}`, content }))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const files =
    process.argv.length > 2 ? process.argv.slice(2).map((file) => path.resolve(file)) : [...repositoryFiles(), path.join(ROOT, 'README.md')]
  // A Markdown file stands for the complete workflows it shows (the README's callers).
  const entries = files.flatMap((file) => (file.endsWith('.md') ? markdownWorkflows(file) : [{ name: file, content: readFileSync(file, 'utf8') }]))
  let failed = 0
  for (const entry of entries) {
    const errors = await validateFile(entry.name, ROOT, entry.content)
    if (errors.length) failed++
    console.log(errors.length ? `✗ ${path.relative(ROOT, entry.name)}\n  ${errors.join('\n  ')}` : `✓ ${path.relative(ROOT, entry.name)}`)
  }
  console.log(`${entries.length - failed} valid, ${failed} invalid (@actions/workflow-parser)`)
  process.exitCode = failed ? 1 : 0
}
