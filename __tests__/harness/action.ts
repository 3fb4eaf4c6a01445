import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Every test's temporary files (their outputs hold join tokens): global teardown removes it. */
export const TEST_TMP = path.join(os.tmpdir(), 'setup-swarm-tests')
const ACTION = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
  runs: { main: string; post: string }
}

export interface StepResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  env: Record<string, string>
  paths: string[]
  summary: string
}

export interface StepOptions {
  inputs?: Record<string, string>
  /** STATE_* for post: main's saved state. */
  state?: Record<string, string>
  env?: NodeJS.ProcessEnv
  /** Sends SIGINT once stdout matches, as the runner does on a cancel. */
  interruptWhen?: RegExp
  /** Runs the step as this unprivileged user (its job directory is opened to it). */
  uid?: number
  timeoutMs?: number
}

/** One job on a runner: its RUNNER_TEMP and the files of the workflow commands. */
export class Job {
  readonly dir = mkdtempSync(path.join(mkdirSync(TEST_TMP, { recursive: true, mode: 0o711 }) ?? TEST_TMP, 'job-'))
  readonly runnerTemp = path.join(this.dir, 'temp')
  readonly toolCache = path.join(this.dir, 'tool-cache')
  private steps = 0

  constructor() {
    mkdirSync(this.runnerTemp, { recursive: true })
    mkdirSync(this.toolCache)
  }

  /** Runs dist/ as the runner runs a `uses:` step: action.yml defaults, INPUT_*, command files. */
  async run(step: 'main' | 'post', options: StepOptions = {}): Promise<StepResult> {
    const files = Object.fromEntries(
      ['output', 'state', 'env', 'path', 'summary'].map((name) => [name, path.join(this.dir, `${name}-${++this.steps}`)])
    )
    Object.values(files).forEach((file) => writeFileSync(file, ''))
    const inputs = { ...Object.fromEntries(Object.entries(ACTION.inputs).map(([name, spec]) => [name, spec.default ?? ''])), ...options.inputs }
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(INPUT_|STATE_|GITHUB_|RUNNER_)/.test(key))),
      GITHUB_ACTIONS: 'true',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      RUNNER_TEMP: this.runnerTemp,
      RUNNER_TOOL_CACHE: this.toolCache,
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STEP_SUMMARY: files.summary,
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])),
      ...Object.fromEntries(Object.entries(options.state ?? {}).map(([name, value]) => [`STATE_${name}`, value])),
      ...options.env
    }
    const entry = path.join(ROOT, step === 'main' ? ACTION.runs.main : ACTION.runs.post)
    if (options.uid !== undefined) {
      for (const dir of [this.dir, this.runnerTemp]) chmodSync(dir, 0o777)
      Object.values(files).forEach((file) => chmodSync(file, 0o666))
    }
    const user = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }
    const child = spawn(process.execPath, [entry], { env, cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'], ...user })
    let stdout = ''
    let stderr = ''
    let interrupted = false
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk
      if (options.interruptWhen && !interrupted && options.interruptWhen.test(stdout)) {
        interrupted = true
        child.kill('SIGINT')
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 150_000)
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])))
    clearTimeout(timer)
    return {
      code,
      signal,
      stdout,
      stderr,
      outputs: parseFileCommands(readFileSync(files.output, 'utf8')),
      state: parseFileCommands(readFileSync(files.state, 'utf8')),
      env: parseFileCommands(readFileSync(files.env, 'utf8')),
      paths: readFileSync(files.path, 'utf8').split('\n').filter(Boolean),
      summary: readFileSync(files.summary, 'utf8')
    }
  }
}

/** Reads GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV: `name<<DELIMITER` heredocs (and `name=value`). */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      values[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      values[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return values
}

/** Lines of a step's log that show a secret anywhere but in its own ::add-mask:: command. */
export function linesShowing(secret: string, log: string): string[] {
  return log.split('\n').filter((line) => line.includes(secret) && line !== `::add-mask::${secret}`)
}
