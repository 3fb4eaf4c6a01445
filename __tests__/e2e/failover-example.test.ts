import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { localNames } from '../../src/drivers/local/names.js'
import { Job, ROOT } from '../harness/action.js'
import { leftovers, NOTHING_LEFT, removeTestClusters } from '../harness/host.js'
import { importBusybox, startRunnerEngine, type RunnerEngine } from '../harness/runner-engine.js'
import { runnerUser } from '../harness/runner-user.js'
import { markdownWorkflow, OWN_ACTIONS, parseWorkflow, runJob, type WorkflowFile, type WorkflowStep } from '../harness/workflow.js'

// The README's complete example job "failover test" (section "Failover tests (fault)"), read from the
// README and run here as written, step by step (GitHub's expression evaluator on its `with` and
// `env`, its `run:` steps with bash -eo pipefail as the runner user): `your-org/setup-swarm@v1` is
// this repository's dist/, `your-org/setup-swarm/fault@v1` its fault action, and `actions/checkout`
// a stand-in that copies examples/failover into the workspace, where the job's paths expect it. The
// swarm forms with the stack, the node running the web task is stopped, and the service answers from
// its new node; then setup-swarm's post removes everything, the stopped node included.
//
// One substitution, for this machine, which reaches no container registry: on GitHub the nodes pull
// the stack's image (busybox:1.36) from Docker Hub; here it is on the runner's engine as a pull there
// would leave it, and the setup-swarm step gets `images:` with it, which loads it into every node
// before the stack is deployed. Nothing else differs: the stack publishes its port in host mode and
// resolves by DNS round robin (examples/failover/stack.yml), so it needs no IPVS, which this machine's
// nodes do not have.

const SECTION = '## Failover tests (fault)'
const TEXT = markdownWorkflow('README.md', SECTION)
const WORKFLOW = parseWorkflow(TEXT)
const [JOB_NAME] = Object.keys(WORKFLOW.jobs)
const STACK_DIR = path.join('examples', 'failover')
/** The stack's images, which the nodes would pull. */
const STACK_IMAGES = Object.values(
  (parseYaml(readFileSync(path.join(ROOT, STACK_DIR, 'stack.yml'), 'utf8')) as { services: Record<string, { image: string }> }).services
).map((service) => service.image)
const CONTEXTS = {
  job: { workflow_repository: 'caller/app', workflow_sha: 'fedcba9876543210fedcba9876543210fedcba98' },
  github: { repository: 'caller/app', sha: 'fedcba9876543210fedcba9876543210fedcba98' }
}

/** Which of this repository's actions a step uses: '.' for setup-swarm, else its directory. */
const ownAction = (step: WorkflowStep): string | undefined => {
  const match = step.uses?.match(OWN_ACTIONS.published)
  return match ? (match[1] ?? '.') : undefined
}
const isSetupSwarm = (step: WorkflowStep) => ownAction(step) === '.'

/** The README's job with the one substitution: setup-swarm loads the stack's images from the runner's engine. */
function withoutRegistry(workflow: WorkflowFile): WorkflowFile {
  const job = workflow.jobs[JOB_NAME]
  const steps = job.steps.map((step) => (isSetupSwarm(step) ? { ...step, with: { ...step.with, images: STACK_IMAGES.join('\n') } } : step))
  return { ...workflow, jobs: { ...workflow.jobs, [JOB_NAME]: { ...job, steps } } }
}

type NodeOutput = { name: string; role: string; ip: string; status?: string; fault?: string }

afterAll(() => {
  removeTestClusters()
})

describe('the README’s failover job, as written', () => {
  const job = new Job()
  let engine: RunnerEngine
  let run: Awaited<ReturnType<typeof runJob>>
  const checkouts: Array<Record<string, string>> = []
  const steps = WORKFLOW.jobs[JOB_NAME].steps
  const record = (index: number) => run.steps[index]
  const swarmIndex = steps.findIndex(isSetupSwarm)
  const taskIndex = steps.findIndex((step) => step.id === 'task')
  const faultIndex = steps.findIndex((step) => ownAction(step) === 'fault')

  beforeAll(async () => {
    engine = await startRunnerEngine('failover')
    for (const image of STACK_IMAGES) importBusybox(engine, image)
    run = await runJob({
      job,
      workflow: withoutRegistry(WORKFLOW),
      jobName: JOB_NAME,
      ownActions: OWN_ACTIONS.published,
      contexts: CONTEXTS,
      standIns: {
        'actions/checkout@': (_step, values) => {
          checkouts.push(values)
          cpSync(path.join(ROOT, STACK_DIR), path.join(job.dir, STACK_DIR), { recursive: true })
          execFileSync('chown', ['-R', `${runnerUser()!.uid}:${runnerUser()!.gid}`, job.dir])
          return {}
        }
      },
      env: engine.env
    })
  }, 400_000)
  afterAll(async () => {
    await engine?.stop()
  })

  it('is a complete workflow of one job: checkout, setup-swarm with the example’s stack, the task’s node, the fault, the check', () => {
    expect(WORKFLOW.name).toBe('failover test')
    expect(Object.keys(WORKFLOW.jobs)).toEqual(['failover'])
    expect(steps.map((step) => step.uses?.replace(/@.*/, '') ?? 'run')).toEqual([
      'actions/checkout',
      'your-org/setup-swarm',
      'run',
      'your-org/setup-swarm/fault',
      'run'
    ])
    // The substitution is the only difference from the README: the stack's images, loaded rather than pulled.
    expect(steps[swarmIndex].with?.images).toBeUndefined()
    expect(steps[swarmIndex].with?.stack).toBe(`${STACK_DIR}/stack.yml`)
  })

  it('runs every step successfully', () => {
    const failed = run.steps.filter((step) => step.outcome !== 'success').map((step) => `${step.step.id ?? step.step.uses ?? 'run'}:\n${step.log}`)
    expect(failed).toEqual([])
    expect(run.steps.map((step) => step.outcome)).toEqual(steps.map(() => 'success'))
    expect(checkouts).toEqual([{}])
  })

  it('deploys the stack with its web task on a worker, and stops that worker: Down, its task moved off', () => {
    const swarm = record(swarmIndex)
    const name = swarm.outputs.name
    const services = JSON.parse(swarm.outputs.services) as Array<{ name: string; running: number; replicas: number }>
    expect(services.map((service) => [service.name, service.running, service.replicas])).toEqual([['demo_web', 1, 1]])
    const node = record(taskIndex).outputs.node
    expect(node).toMatch(new RegExp(`^${name}-worker-[12]$`))
    const after = JSON.parse(record(faultIndex).outputs.nodes) as NodeOutput[]
    expect(after.find((entry) => entry.name === node)).toMatchObject({ status: 'down', fault: 'stopped' })
    expect(after.filter((entry) => entry.name !== node).map((entry) => entry.status)).toEqual(['ready', 'ready', 'ready', 'ready'])
  })

  it('gets an answer from the web task on its new node (the task’s container hostname)', () => {
    expect(record(steps.length - 1).log.trim()).toMatch(/^[0-9a-f]{12}$/m)
  })

  it('leaves nothing after setup-swarm’s post, the stopped node included', () => {
    const name = record(swarmIndex).outputs.name
    expect(run.posts.map((post) => post.code)).toEqual([0])
    expect({ ...leftovers(localNames(name, 0).bridge, path.join(job.runnerTemp, 'setup-swarm', name)), hostChanges: [] }).toEqual(NOTHING_LEFT)
  })
})
