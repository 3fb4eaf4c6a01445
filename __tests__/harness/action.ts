import { spawn } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { ACTION_ENTRY, ACTION_NODE, TEST_REPOSITORY, TEST_TMP } from './global-setup.js'
import { runnerUser } from './runner-user.js'
import { parseFileCommands } from './sweep.js'

export { parseFileCommands, TEST_REPOSITORY, TEST_TMP }
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

interface ActionYml {
  inputs: Record<string, { default?: string }>
  runs: { main: string; post?: string }
}

/** The repository's actions: `.` (setup-swarm), and the small ones beside it (`destroy`, `sweep`, `diagnose`, `build`), each with its action.yml. */
export type ActionDir = '.' | 'destroy' | 'sweep' | 'diagnose' | 'build' | 'fault'
const actionYml = (dir: ActionDir) => parseYaml(readFileSync(path.join(ROOT, dir, 'action.yml'), 'utf8')) as ActionYml
const ACTION = actionYml('.')

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
  /** Sends this signal (SIGINT, as the runner does on a cancel) `afterMs` after stdout matches `when`, or once `when()` is true (asked every 100 ms). */
  interrupt?: { when: RegExp | (() => boolean); signal?: NodeJS.Signals; afterMs?: number }
  /** Which action of the repository runs (its action.yml says which bundle); setup-swarm by default. */
  action?: ActionDir
  /** Who runs the step: the runner user (default: not root, passwordless sudo, as on GitHub), root, or another uid. */
  user?: 'runner' | 'root' | number
  timeoutMs?: number
}

/** One job on a runner: its RUNNER_TEMP and the files of the workflow commands, owned by the runner user. */
export class Job {
  readonly dir = mkdtempSync(path.join(mkdirSync(TEST_TMP, { recursive: true, mode: 0o711 }) ?? TEST_TMP, 'job-'))
  readonly runnerTemp = path.join(this.dir, 'temp')
  readonly toolCache = path.join(this.dir, 'tool-cache')
  /**
   * Where kept clusters (`cleanup: false`) live: XDG_STATE_HOME of every job of the test run, as the
   * runner user's home is on one self-hosted runner, never the real one (the step's HOME is root's here).
   */
  static readonly stateHome = path.join(TEST_TMP, 'runner-state')

  /** Where the action keeps `repository`'s kept cluster `name` under the kept root `home`. */
  static keptDir(name: string, home = Job.stateHome, repository = TEST_REPOSITORY): string {
    return path.join(home, 'setup-swarm', repository, name)
  }
  private steps = 0

  constructor() {
    mkdirSync(this.runnerTemp, { recursive: true })
    mkdirSync(this.toolCache)
    mkdirSync(Job.stateHome, { recursive: true })
    const runner = runnerUser()
    if (runner) for (const dir of [this.dir, this.runnerTemp, this.toolCache, Job.stateHome]) chownSync(dir, runner.uid, runner.gid)
  }

  /** Runs dist/ as the runner runs a `uses:` step: action.yml defaults, INPUT_*, command files. */
  async run(step: 'main' | 'post', options: StepOptions = {}): Promise<StepResult> {
    const actionDir = options.action ?? '.'
    const action = actionDir === '.' ? ACTION : actionYml(actionDir)
    const files = Object.fromEntries(
      ['output', 'state', 'env', 'path', 'summary'].map((name) => [name, path.join(this.dir, `${name}-${++this.steps}`)])
    )
    const owner = typeof options.user === 'number' ? { uid: options.user, gid: options.user } : runnerUser()
    Object.values(files).forEach((file) => writeFileSync(file, ''))
    // The job's files belong to whoever runs its steps, as a runner's work directory does.
    if (owner) for (const file of [this.dir, this.runnerTemp, this.toolCache, ...Object.values(files)]) chownSync(file, owner.uid, owner.gid)
    const inputs = { ...Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, spec.default ?? ''])), ...options.inputs }
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(INPUT_|STATE_|GITHUB_|RUNNER_)/.test(key))),
      GITHUB_ACTIONS: 'true',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_REPOSITORY: TEST_REPOSITORY,
      RUNNER_TEMP: this.runnerTemp,
      RUNNER_TOOL_CACHE: this.toolCache,
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STEP_SUMMARY: files.summary,
      XDG_STATE_HOME: Job.stateHome,
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])),
      ...Object.fromEntries(Object.entries(options.state ?? {}).map(([name, value]) => [`STATE_${name}`, value])),
      // Main marks itself first thing; post is post even when a main crashed before that.
      ...(step === 'post' ? { STATE_isPost: 'true' } : {}),
      ...options.env
    }
    // One bundle for both: the runner runs the same file, and the state tells post apart.
    if (ACTION.runs.main !== ACTION.runs.post) throw new Error('action.yml: main and post are expected to run the same bundle')
    if (step === 'post' && !action.runs.post) throw new Error(`${actionDir}/action.yml has no post step`)
    // The global setup's copy, where the runner user can read it; scripts run the checkout's own.
    const copy = path.dirname(path.dirname(ACTION_ENTRY))
    const [node, entry] = existsSync(ACTION_ENTRY)
      ? [ACTION_NODE, path.join(copy, actionDir, action.runs.main)]
      : [process.execPath, path.join(ROOT, actionDir, action.runs.main)]
    const child = spawn(node, [entry], { env, cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'], ...stepUser(options.user) })
    let stdout = ''
    let stderr = ''
    let interrupted = false
    const interrupt = (now: boolean) => {
      if (!options.interrupt || interrupted || !now) return
      interrupted = true
      const { signal, afterMs = 0 } = options.interrupt
      setTimeout(() => child.kill(signal ?? 'SIGINT'), afterMs)
    }
    const { when } = options.interrupt ?? {}
    const poll = typeof when === 'function' ? setInterval(() => interrupt(when()), 100) : undefined
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      if (when instanceof RegExp) interrupt(when.test(stdout))
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 150_000)
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])))
    clearTimeout(timer)
    clearInterval(poll)
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

/** Lines of a step's log that show a secret anywhere but in its own ::add-mask:: command. */
export function linesShowing(secret: string, log: string): string[] {
  return log.split('\n').filter((line) => line.includes(secret) && line !== `::add-mask::${secret}`)
}

function stepUser(user: StepOptions['user'] = 'runner'): { uid?: number; gid?: number } {
  if (user === 'root') return {}
  if (typeof user === 'number') return { uid: user, gid: user }
  const runner = runnerUser()
  if (!runner) throw new Error('no runner user: the end-to-end global setup creates it')
  return runner
}
