import { Evaluator, Lexer, Parser, data } from '@actions/expressions'
import { truthy } from '@actions/expressions/result'
import { spawn } from 'node:child_process'
import { chownSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { parseFileCommands, ROOT, type ActionDir, type Job, type StepResult } from './action.js'
import { runnerUser } from './runner-user.js'

// A workflow's job run here, step by step, as the runner would: each step's `if`, `with`, `env`,
// `working-directory` and `run:` script evaluated by GitHub's own expression evaluator
// (@actions/expressions) against inputs (a reusable workflow's `on.workflow_call`; none for any
// other), steps, env, job, github and secrets; `run:` steps run with bash -eo pipefail as the runner
// user with GITHUB_OUTPUT and GITHUB_ENV; this repository's actions (`uses: ./.setup-swarm…` as a
// reusable workflow checks them out, or `your-org/setup-swarm…@v1` as the README names them) run
// its dist/ through the Job harness, the posts at the end. What a job needs from outside (checkouts, cloud credentials) is a `stand-in` the
// test gives, and every other `uses:` fails the run.

export interface WorkflowStep {
  id?: string
  name?: string
  if?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
  'working-directory'?: string
}

export interface WorkflowJob {
  env?: Record<string, unknown>
  steps: WorkflowStep[]
  outputs?: Record<string, string>
  permissions?: unknown
  if?: string
  concurrency?: Record<string, unknown>
  environment?: Record<string, string>
}

export interface WorkflowCall {
  inputs: Record<string, { type: string; default?: unknown; required?: boolean; description?: string }>
  secrets?: Record<string, { required?: boolean }>
  outputs?: Record<string, { value: string }>
}

export interface WorkflowFile {
  name?: string
  /** A reusable workflow's `workflow_call`, or any other trigger (`[push]`, `{ push: … }`). */
  on: { workflow_call?: WorkflowCall; [event: string]: unknown } | string | string[]
  jobs: Record<string, WorkflowJob>
}

/** The reusable workflow's declaration, where `on` has one. */
export const workflowCall = (workflow: WorkflowFile): WorkflowCall | undefined =>
  typeof workflow.on === 'object' && !Array.isArray(workflow.on) ? workflow.on.workflow_call : undefined

export const parseWorkflow = (text: string): WorkflowFile => parseYaml(text) as WorkflowFile
export const readWorkflow = (file: string): WorkflowFile => parseWorkflow(readFileSync(path.join(ROOT, file), 'utf8'))

/** The complete workflow a Markdown file shows in its section `heading` (`## …`): the section's first ```yaml block. */
export function markdownWorkflow(file: string, heading: string): string {
  const text = readFileSync(path.join(ROOT, file), 'utf8')
  const start = text.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`${file}: no section "${heading}"`)
  const level = heading.slice(0, heading.indexOf(' ') + 1)
  const end = text.indexOf(`\n${level}`, start + heading.length + 1)
  const block = /^```yaml\n([\s\S]*?)^```$/m.exec(text.slice(start, end < 0 ? undefined : end))
  if (!block) throw new Error(`${file}: no yaml block under "${heading}"`)
  return block[1]
}

/** `uses:` of this repository's actions, the action's directory in the first group (none: setup-swarm itself). */
export const OWN_ACTIONS = {
  /** As a reusable workflow of this repository checks itself out. */
  checkedOut: /^\.\/\.setup-swarm(?:\/([\w-]+))?$/,
  /** As the README's jobs name them. */
  published: /^your-org\/setup-swarm(?:\/([\w-]+))?@v1$/
}

type Context = Record<string, unknown>

const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled']

/** One expression's value, as GitHub's evaluator gives it; `failed` is the job's status so far. */
export function evaluate(expression: string, context: Context, failed = false): data.ExpressionData {
  const tokens = new Lexer(expression).lex().tokens
  const functions = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }))
  const ast = new Parser(tokens, Object.keys(context), functions).parse()
  const dictionary = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary
  const status = (value: boolean) => () => new data.BooleanData(value)
  const implementations = new Map(
    [
      ['success', status(!failed)],
      ['failure', status(failed)],
      ['always', status(true)],
      ['cancelled', status(false)]
    ].map(([name, call]) => [name as string, { name: name as string, minArgs: 0, maxArgs: 0, call: call as () => data.ExpressionData }])
  )
  return new Evaluator(ast, dictionary, implementations).evaluate()
}

/** A value with `${{ }}` in it, as a string (a lone expression as its value coerced to a string). */
export function interpolate(value: unknown, context: Context): string {
  const text = typeof value === 'string' ? value : String(value)
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => evaluate(expression.trim(), context).coerceString())
}

/** An `if:`: a bare expression or one in `${{ }}`; steps without one run only while nothing failed. */
function condition(text: string | undefined, context: Context, failed: boolean): boolean {
  if (text === undefined) return !failed
  const expression = text.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
  const usesStatus = STATUS_FUNCTIONS.some((name) => expression.includes(`${name}(`))
  const result = truthy(evaluate(expression, context, failed))
  return usesStatus ? result : result && !failed
}

export const mapValues = (values: Record<string, unknown> | undefined, context: Context): Record<string, string> =>
  Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [key, interpolate(value, context)]))

export interface StepRecord {
  step: WorkflowStep
  ran: boolean
  outcome: 'success' | 'failure' | 'skipped'
  outputs: Record<string, string>
  /** What a `run:` step printed, or the action's step result. */
  log: string
  result?: StepResult
}

export interface RunJobOptions {
  job: Job
  workflow: WorkflowFile
  jobName: string
  /** A reusable workflow's inputs; the declared defaults for the rest. */
  inputs?: Record<string, unknown>
  /** Which `uses:` are this repository's actions: OWN_ACTIONS.checkedOut by default. */
  ownActions?: RegExp
  secrets?: Record<string, string>
  /** `job.*` and `github.*` as the runner would give them. */
  contexts: { job: Context; github: Context }
  /** Steps the test does itself (checkouts): by `uses:` prefix; each returns the step's outputs. */
  standIns: Record<string, (step: WorkflowStep, values: Record<string, string>) => Record<string, string> | Promise<Record<string, string>>>
  /** Environment every step gets (the runner's engine, the builder). */
  env?: Record<string, string>
}

/** Runs the job's steps in order, then the posts of the actions that ran; returns every step's record. */
export async function runJob(options: RunJobOptions): Promise<{ steps: StepRecord[]; posts: StepResult[] }> {
  const { job, workflow, jobName } = options
  const spec = workflow.jobs[jobName]
  const declared = workflowCall(workflow)?.inputs ?? {}
  const inputs = Object.fromEntries(Object.entries(declared).map(([name, input]) => [name, options.inputs?.[name] ?? input.default ?? '']))
  const records: StepRecord[] = []
  const posts: Array<() => Promise<StepResult>> = []
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {}
  let exported: Record<string, string> = {}
  let failed = false
  const context = (): Context => ({
    inputs,
    secrets: options.secrets ?? {},
    steps,
    env: { ...jobEnv, ...exported },
    job: options.contexts.job,
    github: { ...options.contexts.github, workspace: job.dir },
    runner: { temp: job.runnerTemp }
  })
  const jobEnv: Record<string, string> = {}
  Object.assign(jobEnv, mapValues(spec.env, context()))

  for (const step of spec.steps) {
    const own = step.uses?.match(options.ownActions ?? OWN_ACTIONS.checkedOut)
    const record: StepRecord = { step, ran: false, outcome: 'skipped', outputs: {}, log: '' }
    records.push(record)
    if (!condition(step.if, context(), failed)) {
      if (step.id) steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' }
      continue
    }
    record.ran = true
    const env = { ...options.env, ...jobEnv, ...exported, ...mapValues(step.env, context()) }
    const values = mapValues(step.with, context())
    let ok: boolean
    if (step.run !== undefined) {
      const cwd = path.resolve(job.dir, interpolate(step['working-directory'] ?? '.', context()))
      // As GitHub does, the script is interpolated before bash sees it.
      const result = await runScript(job, interpolate(step.run, context()), cwd, env)
      ok = result.code === 0
      record.outputs = result.outputs
      record.log = result.log
      exported = { ...exported, ...result.env }
    } else if (own) {
      const action = (own[1] ?? '.') as ActionDir
      const result = await job.run('main', { action, inputs: values, env })
      record.result = result
      ok = result.code === 0
      record.outputs = result.outputs
      record.log = result.stdout
      exported = { ...exported, ...result.env }
      if (action === '.') posts.unshift(() => job.run('post', { state: result.state, env }))
    } else {
      const standIn = Object.entries(options.standIns).find(([prefix]) => step.uses?.startsWith(prefix))
      if (!standIn) throw new Error(`step ${step.name ?? step.uses}: no stand-in for ${step.uses}`)
      record.outputs = await standIn[1](step, values)
      ok = true
    }
    record.outcome = ok ? 'success' : 'failure'
    if (step.id) steps[step.id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.outcome }
    failed ||= !ok
  }
  const postResults: StepResult[] = []
  for (const post of posts) postResults.push(await post())
  return { steps: records, posts: postResults }
}

let scripts = 0

/** A `run:` step: bash -e as the runner user, in `cwd`, with the runner's command files. */
async function runScript(
  job: Job,
  script: string,
  cwd: string,
  env: Record<string, string>
): Promise<{ code: number | null; outputs: Record<string, string>; env: Record<string, string>; log: string }> {
  const files = { output: path.join(job.dir, `run-output-${++scripts}`), env: path.join(job.dir, `run-env-${scripts}`) }
  const runner = runnerUser()!
  // The files belong to the step's user, as a runner's do.
  for (const file of Object.values(files)) {
    writeFileSync(file, '')
    chownSync(file, runner.uid, runner.gid)
  }
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    uid: runner.uid,
    gid: runner.gid,
    env: {
      PATH: process.env.PATH,
      HOME: job.dir,
      ...env,
      GITHUB_WORKSPACE: job.dir,
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      RUNNER_TEMP: job.runnerTemp
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  return {
    code,
    outputs: parseFileCommands(readFileSync(files.output, 'utf8')),
    env: parseFileCommands(readFileSync(files.env, 'utf8')),
    log
  }
}
