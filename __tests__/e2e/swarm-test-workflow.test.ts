import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { localNames } from '../../src/drivers/local/names.js'
import { Job, ROOT } from '../harness/action.js'
import { leftovers, NOTHING_LEFT, removeTestClusters } from '../harness/host.js'
import { importBusybox, startRunnerEngine, type RunnerEngine } from '../harness/runner-engine.js'
import { runnerUser } from '../harness/runner-user.js'
import { readWorkflow, runJob, type StepRecord, type WorkflowStep } from '../harness/workflow.js'

// The swarm-test reusable workflow's job, run here step by step from its YAML (GitHub's expression
// evaluator on its `if`, `with` and `env`), on the sample application under examples/ with the
// inputs this repository's own CI gives it: the build action builds the web service from source on
// the runner's engine, setup-swarm loads the images and converges the stack, the workflow's test
// script runs the example's tests against it, diagnostics are collected when a test fails, and
// post removes the swarm. Only the checkouts are stand-ins (copies of the example and of this
// repository's scripts); there is no registry: the base image is on the runner's engine already.

const WORKFLOW = readWorkflow('.github/workflows/swarm-test.yml')
/** The inputs this repository's CI calls swarm-test with (the `swarm-test` job of ci.yml). */
const CI_INPUTS = (
  parseYaml(readFileSync(path.join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')) as { jobs: Record<string, { with: Record<string, unknown> }> }
).jobs['swarm-test'].with
const CONTEXTS = {
  job: { workflow_repository: 'your-org/setup-swarm', workflow_sha: '0123456789abcdef0123456789abcdef01234567' },
  github: { repository: 'caller/app', sha: 'fedcba9876543210fedcba9876543210fedcba98' }
}

/** The workspace as the job's two checkouts leave it: the caller's code, and setup-swarm under .setup-swarm. */
function checkouts(job: Job, asked: Array<Record<string, string>>) {
  return {
    'actions/checkout@': (_step: WorkflowStep, values: Record<string, string>) => {
      asked.push(values)
      if (values.path === '.setup-swarm') {
        cpSync(path.join(ROOT, 'scripts', 'workflows'), path.join(job.dir, '.setup-swarm', 'scripts', 'workflows'), { recursive: true })
      } else {
        cpSync(path.join(ROOT, 'examples'), path.join(job.dir, 'examples'), { recursive: true })
      }
      execFileSync('chown', ['-R', `${runnerUser()!.uid}:${runnerUser()!.gid}`, job.dir])
      return {}
    }
  }
}

const byName = (steps: StepRecord[], name: string): StepRecord => steps.find((record) => record.step.name === name)!

afterAll(() => {
  removeTestClusters()
})

describe('swarm-test on the sample application, as this repository’s CI calls it', () => {
  const job = new Job()
  let engine: RunnerEngine
  let run: Awaited<ReturnType<typeof runJob>>
  const asked: Array<Record<string, string>> = []
  let name = ''

  beforeAll(async () => {
    engine = await startRunnerEngine('swarm-test')
    importBusybox(engine, 'busybox:1.36')
    run = await runJob({
      job,
      workflow: WORKFLOW,
      jobName: 'swarm-test',
      inputs: CI_INPUTS,
      contexts: CONTEXTS,
      standIns: checkouts(job, asked),
      // No buildx here: the classic builder, which GitHub's runners do not need.
      env: { ...engine.env, DOCKER_BUILDKIT: '0' }
    })
    name = byName(run.steps, 'Swarm with the images and the stack').outputs.name ?? ''
  }, 300_000)
  afterAll(async () => {
    await engine?.stop()
  })

  it('checks out setup-swarm at the workflow’s own repository and commit, never a branch', () => {
    expect(asked).toEqual([
      { 'persist-credentials': 'false' },
      { repository: CONTEXTS.job.workflow_repository, ref: CONTEXTS.job.workflow_sha, path: '.setup-swarm', 'persist-credentials': 'false' }
    ])
  })

  it('runs every step but the AWS ones and the diagnostics, each successfully', () => {
    const ran = run.steps.map((record) => [record.step.name, record.outcome])
    expect(ran).toEqual([
      ["Check out the caller's code", 'success'],
      ["Check out setup-swarm at this workflow's own commit", 'success'],
      ['AWS credentials (OpenID Connect)', 'skipped'],
      ['AWS credentials (access keys)', 'skipped'],
      ["The stack's files, from the caller's working directory", 'success'],
      ['Build the images on the runner', 'success'],
      ['Swarm with the images and the stack', 'success'],
      ['Test', 'success'],
      ['Diagnostics', 'skipped']
    ])
  })

  it('builds the web service from source on the runner, and loads it with the base image into every node', () => {
    expect(byName(run.steps, 'Build the images on the runner').outputs.images).toBe('example/web:ci')
    const main = byName(run.steps, 'Swarm with the images and the stack')
    expect(main.log).toMatch(/loaded 2 image\(s\)|already holding every image/)
    const services = JSON.parse(main.outputs.services) as Array<{ name: string; running: number; replicas: number }>
    expect(services.map((service) => [service.name, service.running, service.replicas]).sort()).toEqual([
      ['example_echo', 2, 2],
      ['example_web', 1, 1]
    ])
  })

  it('runs the example’s tests with the Docker environment at the swarm and each service’s endpoint in theirs', () => {
    const test = byName(run.steps, 'Test')
    expect(test.log).toMatch(/^SWARM_SERVICE_EXAMPLE_WEB=[\d.]+:8080$/m)
    expect(test.log).toMatch(/echo says: \w+/)
    expect(test.log).toContain('example tests passed')
  })

  it('leaves teardown to the action’s post step, which removes everything', () => {
    expect(run.posts.map((post) => post.code)).toEqual([0])
    expect({ ...leftovers(localNames(name, 0).bridge, path.join(job.runnerTemp, 'setup-swarm', name)), hostChanges: [] }).toEqual(NOTHING_LEFT)
  })
})

describe('swarm-test when the tests fail', () => {
  const job = new Job()
  let engine: RunnerEngine
  let run: Awaited<ReturnType<typeof runJob>>

  beforeAll(async () => {
    engine = await startRunnerEngine('swarm-fail')
    importBusybox(engine, 'busybox:1.36')
    run = await runJob({
      job,
      workflow: WORKFLOW,
      jobName: 'swarm-test',
      inputs: { ...CI_INPUTS, 'test-command': 'bash test.sh && echo "a test that fails" && false' },
      contexts: CONTEXTS,
      standIns: checkouts(job, []),
      env: { ...engine.env, DOCKER_BUILDKIT: '0' }
    })
  }, 300_000)
  afterAll(async () => {
    await engine?.stop()
  })

  it('fails the test step, then collects diagnostics of the swarm (services, tasks, logs, nodes) before post removes it', () => {
    expect(byName(run.steps, 'Test').outcome).toBe('failure')
    const diagnostics = byName(run.steps, 'Diagnostics')
    expect(diagnostics.outcome).toBe('success')
    const dir = diagnostics.outputs['diagnostics-path']
    expect(existsSync(path.join(dir, 'services', 'example_web', 'ps.txt'))).toBe(true)
    expect(readdirSync(path.join(dir, 'nodes')).length).toBe(3)
    expect(run.posts.map((post) => post.code)).toEqual([0])
  })
})
