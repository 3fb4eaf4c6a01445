import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { localNames } from '../../src/drivers/local/names.js'
import { Job, type StepResult } from '../harness/action.js'
import { docker, importTestImage, TEST_IMAGE, waitFor } from '../harness/docker.js'
import { leftovers, NOTHING_LEFT, removeTestClusters } from '../harness/host.js'

// The fault action end to end: a swarm of 3 managers and 2 workers on real engines, its nodes
// stopped, started, paused, resumed, partitioned, healed and drained through dist/ as the runner
// runs it; then post (and destroy) remove everything, faults and all.

type NodeOutput = { name: string; role: string; ip: string; dockerHost: string; id: string; status?: string; availability?: string; fault?: string }

const bridgeOf = (name: string) => localNames(name, 0).bridge
const nodesOf = (step: StepResult): NodeOutput[] => (step.outputs.nodes ? (JSON.parse(step.outputs.nodes) as NodeOutput[]) : [])
const errorsOf = (step: StepResult): string[] => step.stdout.split('\n').filter((line) => line.startsWith('::error::'))
/** The swarm as a manager sees it: `hostname status availability manager-status`, sorted. */
async function nodeList(env: Record<string, string>): Promise<string[]> {
  const listed = await docker(env, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}'], 15_000)
  return listed
    .split('\n')
    .map((line) => line.trim())
    .sort()
}

/** `docker service create`, again while the swarm's leadership settles (after a heal). */
const createService = (env: Record<string, string>, args: string[]) =>
  waitFor('the service to be created', () => docker(env, ['service', 'create', '--detach', ...args]).then(() => true), 30_000)

/**
 * What the cluster left: its own netns, links, processes, rules, mounts, cgroups, claim and files.
 * The host-wide changes are restored by the last cluster's post, and other test files' clusters
 * may run beside this one's.
 */
const clusterLeftovers = (bridge: string, dir: string) => ({ ...leftovers(bridge, dir), hostChanges: [] })

afterAll(() => {
  removeTestClusters()
})

describe('faults on a swarm of 3 managers and 2 workers', () => {
  const job = new Job()
  const name = 'e2e-fault'
  let main: StepResult
  let nodes: NodeOutput[]
  const node = (short: string) => nodes.find((entry) => entry.name === `${name}-${short}`)!
  const on = (short: string) => ({ ...main.env, DOCKER_HOST: node(short).dockerHost })
  const fault = (inputs: Record<string, string>) => job.run('main', { action: 'fault', inputs: { name, ...inputs } })
  /** A write to the swarm through `short`: a service made and removed again. */
  const write = async (short: string, service: string) => {
    await docker(on(short), ['service', 'create', '--detach', '--name', service, '--no-resolve-image', TEST_IMAGE, 'sleep', '600'], 20_000)
    await docker(on(short), ['service', 'rm', service], 20_000)
  }

  beforeAll(async () => {
    // Down shows after a few missed heartbeats: 1 s apart instead of 5 s, so each wait is seconds.
    main = await job.run('main', { inputs: { name, managers: '3', workers: '2', 'swarm-init-opts': '--dispatcher-heartbeat 1s' } })
    nodes = nodesOf(main)
    if (main.code === 0)
      await importTestImage(
        main.env,
        nodes.map((entry) => entry.dockerHost)
      )
  })
  afterAll(() => job.run('post', { state: main.state }))

  it('forms', () => {
    expect(main.code).toBe(0)
    expect(nodes).toHaveLength(5)
  })

  it.each([
    ['nodes', { nodes: 'worker-9', fault: 'stop' }, /input `nodes`: no node "worker-9" in cluster e2e-fault/],
    ['fault', { nodes: 'worker-1', fault: 'explode' }, /input `fault`: "explode" is not one of stop, start/],
    ['nodes', { nodes: 'worker-1', fault: 'start' }, /input `nodes`: e2e-fault-worker-1 is running: only a stopped node can start/],
    [
      'from',
      { nodes: 'worker-1', fault: 'partition', from: 'worker-1' },
      /input `from`: e2e-fault-worker-1 is in `nodes` too: a node cannot be partitioned from itself/
    ],
    ['nodes', { nodes: '', fault: 'stop' }, /input `nodes`: which nodes to stop/]
  ])('bad input (`%s`): a clear error naming the input, nothing changed', async (_, inputs, message) => {
    const before = execFileSync('iptables-save', { encoding: 'utf8' })
    const result = await fault(inputs)
    expect(result.code).toBe(1)
    expect(errorsOf(result).join('\n')).toMatch(message)
    expect(
      execFileSync('iptables-save', { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(bridgeOf(name)))
    ).toEqual(before.split('\n').filter((line) => line.includes(bridgeOf(name))))
    expect(await nodeList(main.env)).toEqual([
      `${name}-manager-1 Ready Active Leader`,
      `${name}-manager-2 Ready Active Reachable`,
      `${name}-manager-3 Ready Active Reachable`,
      `${name}-worker-1 Ready Active`,
      `${name}-worker-2 Ready Active`
    ])
  })

  it("stop a worker running a replicated service's task: Down, and the task runs again elsewhere within the wait", async () => {
    await docker(main.env, [
      ...['service', 'create', '--detach', '--name', 'moving', '--replicas', '1', '--constraint', 'node.role==worker'],
      ...['--no-resolve-image', TEST_IMAGE, 'sleep', '600']
    ])
    const running = await waitFor('the task to run', async () => {
      const line = await docker(main.env, ['service', 'ps', 'moving', '--filter', 'desired-state=running', '--format', '{{.Node}} {{.CurrentState}}'])
      return line.includes('Running') ? line.split(' ')[0] : undefined
    })
    const short = running.slice(name.length + 1)
    const other = short === 'worker-1' ? 'worker-2' : 'worker-1'
    const stop = await fault({ nodes: short, fault: 'stop' })
    expect(errorsOf(stop)).toEqual([])
    expect(stop.code).toBe(0)
    expect(nodesOf(stop).find((entry) => entry.name === running)).toMatchObject({ status: 'down', fault: 'stopped' })
    // No process of the node is left; its namespace, link and files stay for its start.
    const netns = `${bridgeOf(name)}-${nodes.findIndex((entry) => entry.name === running) + 1}`
    expect(execFileSync('ip', ['netns', 'pids', netns], { encoding: 'utf8' }).trim()).toBe('')
    const now = await docker(main.env, ['service', 'ps', 'moving', '--filter', 'desired-state=running', '--format', '{{.Node}} {{.CurrentState}}'])
    expect(now).toMatch(new RegExp(`^${name}-${other} Running`))
    await docker(main.env, ['service', 'rm', 'moving'])
    // And back: the same node, Ready.
    const start = await fault({ nodes: short, fault: 'start' })
    expect(errorsOf(start)).toEqual([])
    expect(nodesOf(start).find((entry) => entry.name === running)).toMatchObject({ id: node(short).id, status: 'ready', fault: 'none' })
  })

  it('stop one manager: the swarm still accepts writes', async () => {
    const stop = await fault({ nodes: `${name}-manager-3`, fault: 'stop' })
    expect(errorsOf(stop)).toEqual([])
    expect(nodesOf(stop).find((entry) => entry.name === `${name}-manager-3`)).toMatchObject({ status: 'down', fault: 'stopped' })
    await write('manager-1', 'after-stop')
  })

  it('start the stopped manager: the same node ID, Ready, back in the raft', async () => {
    const start = await fault({ nodes: 'manager-3', fault: 'start' })
    expect(errorsOf(start)).toEqual([])
    expect(start.code).toBe(0)
    const started = nodesOf(start).find((entry) => entry.name === `${name}-manager-3`)!
    expect(started).toMatchObject({ id: node('manager-3').id, status: 'ready', fault: 'none' })
    expect(await docker(on('manager-3'), ['info', '--format', '{{.Swarm.NodeID}} {{.Swarm.ControlAvailable}}'])).toBe(`${node('manager-3').id} true`)
    expect(await nodeList(main.env)).toContain(`${name}-manager-3 Ready Active Reachable`)
  })

  it('partition two managers from the rest: writes to the remaining manager fail with the quorum error; heal: they work again', async () => {
    const partition = await fault({ nodes: 'manager-2, manager-3', fault: 'partition' })
    expect(errorsOf(partition)).toEqual([])
    expect(partition.code).toBe(0)
    // Both sides are cut from the other: 2 × 3 node pairs, dropped both ways.
    expect(nodesOf(partition).map((entry) => entry.fault)).toEqual(Array(5).fill('partitioned'))
    expect(
      execFileSync('iptables-save', { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(`${bridgeOf(name)}-partition`))
    ).toHaveLength(12)
    // The runner still reaches every engine.
    for (const short of ['manager-1', 'manager-2', 'manager-3', 'worker-1'])
      expect(await docker(on(short), ['version', '--format', '{{.Server.Version}}'])).not.toBe('')
    // manager-1 learns it lost the majority only after some 30 s here, and until then a request
    // there hangs. Short reads notice it soonest; then a write must fail with the quorum error.
    const leaderless = (error: Error) => (/The swarm does not have a leader/.test(error.message) ? true : undefined)
    await waitFor(
      'manager-1 to see the swarm without a leader',
      () => docker(on('manager-1'), ['node', 'ls'], 4_000).then(() => undefined, leaderless),
      90_000
    )
    const refused = await write('manager-1', 'in-minority').then(
      () => 'the write went through',
      (error: Error) => error.message
    )
    expect(refused).toMatch(/The swarm does not have a leader. It's possible that too few managers are online/)
    const heal = await fault({ fault: 'heal' })
    expect(errorsOf(heal)).toEqual([])
    expect(heal.code).toBe(0)
    expect(nodesOf(heal).filter((entry) => entry.fault === 'partitioned')).toEqual([])
    expect(execFileSync('iptables-save', { encoding: 'utf8' })).not.toContain(`${bridgeOf(name)}-partition`)
    // heal waited for the raft to elect: the swarm has a leader as soon as the step ends.
    expect((await nodeList(main.env)).filter((line) => line.endsWith(' Leader'))).toHaveLength(1)
    // The managers' connections come back at their next reconnect attempt.
    await waitFor('writes to work again', () => write('manager-1', 'healed').then(() => true), 120_000)
  })

  it('pause a worker: Down; resume: Ready', async () => {
    const pause = await fault({ nodes: 'worker-2', fault: 'pause' })
    expect(errorsOf(pause)).toEqual([])
    expect(nodesOf(pause).find((entry) => entry.name === `${name}-worker-2`)).toMatchObject({ status: 'down', fault: 'paused' })
    const resume = await fault({ nodes: 'worker-2', fault: 'resume' })
    expect(errorsOf(resume)).toEqual([])
    expect(nodesOf(resume).find((entry) => entry.name === `${name}-worker-2`)).toMatchObject({ status: 'ready', fault: 'none' })
  })

  it('drain moves the tasks off; activate makes the node available again', async () => {
    await createService(main.env, [
      ...['--name', 'drained', '--mode', 'global', '--constraint', 'node.role==worker'],
      ...['--no-resolve-image', TEST_IMAGE, 'sleep', '600']
    ])
    await waitFor('a task on worker-2', async () =>
      (await docker(main.env, ['service', 'ps', 'drained', '--format', '{{.Node}} {{.CurrentState}}'])).includes(`${name}-worker-2 Running`)
        ? true
        : undefined
    )
    const drain = await fault({ nodes: 'worker-2', fault: 'drain' })
    expect(errorsOf(drain)).toEqual([])
    expect(nodesOf(drain).find((entry) => entry.name === `${name}-worker-2`)).toMatchObject({ availability: 'drain' })
    expect(await docker(on('worker-2'), ['ps', '-q'])).toBe('')
    const activate = await fault({ nodes: 'worker-2', fault: 'activate' })
    expect(nodesOf(activate).find((entry) => entry.name === `${name}-worker-2`)).toMatchObject({ availability: 'active', status: 'ready' })
    await docker(main.env, ['service', 'rm', 'drained'])
  })

  it('post undoes every fault (a paused, a partitioned and a stopped node) and leaves nothing', async () => {
    for (const inputs of [
      { nodes: 'worker-1', fault: 'pause', wait: 'false' },
      { nodes: 'manager-2', fault: 'partition', wait: 'false' }
    ]) {
      const result = await fault(inputs)
      expect([inputs.fault, errorsOf(result)]).toEqual([inputs.fault, []])
    }
    const result = await job.run('post', { state: main.state })
    expect(result.stdout).not.toContain('::warning::')
    expect(result.code).toBe(0)
    expect(clusterLeftovers(bridgeOf(name), path.join(job.runnerTemp, 'setup-swarm', name))).toEqual(NOTHING_LEFT)
  })
})

describe('destroy and a cancel', () => {
  it('a cancel in the middle of a start, then destroy of the kept cluster with a stopped, a paused and a partitioned node: nothing left', async () => {
    const job = new Job()
    const name = 'e2e-fault-kept'
    const main = await job.run('main', { inputs: { name, managers: '1', workers: '3', cleanup: 'false' } })
    expect(main.code).toBe(0)
    const fault = (inputs: Record<string, string>, interrupt?: { when: RegExp }) =>
      job.run('main', { action: 'fault', inputs: { name, wait: 'false', ...inputs }, interrupt })
    expect((await fault({ nodes: 'worker-1,worker-3', fault: 'stop' })).code).toBe(0)
    expect((await fault({ nodes: 'worker-2', fault: 'pause' })).code).toBe(0)
    expect((await fault({ nodes: 'manager-1', fault: 'partition', from: 'worker-2' })).code).toBe(0)
    const cancelled = await fault({ nodes: 'worker-3', fault: 'start', wait: 'true' }, { when: /starting/ })
    expect(cancelled.code).not.toBe(0)
    const destroy = await new Job().run('main', { action: 'destroy', inputs: { name, driver: 'local' } })
    expect(destroy.stdout.match(/::(error|warning)::.*/)?.[0]).toBeUndefined()
    expect(destroy.code).toBe(0)
    expect(clusterLeftovers(bridgeOf(name), Job.keptDir(name))).toEqual(NOTHING_LEFT)
  })
})
