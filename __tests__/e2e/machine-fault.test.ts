import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chownSync, mkdtempSync } from 'node:fs'
import path from 'node:path'
import { localDriver } from '../../src/drivers/local/index.js'
import type { LocalState } from '../../src/drivers/local/names.js'
import type { EngineNode } from '../../src/engine/node.js'
import type { RunTls } from '../../src/engine/tls.js'
import type { ClusterState } from '../../src/state/cluster.js'
import { Deadline } from '../../src/tools/wait.js'
import { startFakeEc2, type FakeEc2, type FakeInstance } from '../fixtures/fake-ec2.js'
import { startReleaseServer } from '../fixtures/release-server.js'
import { Job, TEST_TMP, type StepResult } from '../harness/action.js'
import { docker } from '../harness/docker.js'
import { ec2StepEnv } from '../harness/ec2.js'
import { removeTestClusters } from '../harness/host.js'
import { MACHINE_VERSION, noneNodes, STAND_IN, standInInputs, startTestHosts } from '../harness/hosts.js'
import { runnerUser } from '../harness/runner-user.js'

// The fault action on docker-machine clusters, through dist/ with the stand-in docker-machine. An
// amazonec2 cluster on the fake EC2: `docker-machine stop` and `start` call StopInstances and
// StartInstances there, and the fake powers the real engine behind each instance off (killed, as
// a power loss) and on again (with its data), so the swarm sees a node Down and then Ready. A
// `none` cluster: its hosts are not docker-machine's to power, and every fault but drain and
// activate is refused, naming the drivers that can.

const REGION = 'eu-west-1'
const REPOSITORY = 'octo-org/fault-app'
const CREDENTIALS = {
  accessKeyId: 'ASIAE2EFAULTKEY00001',
  secretAccessKey: 'e2e/Fault+Secret+Access+Key/0123456789abc',
  sessionToken: 'IQoJb3JpZ2luX2VjEe2eFaultSessionToken/0123456789+abcdefghijklmnopqrstuvwxyz=='
}

type NodeOutput = { name: string; id: string; status: string; fault: string }
const nodesOf = (step: StepResult): NodeOutput[] => (step.outputs.nodes ? (JSON.parse(step.outputs.nodes) as NodeOutput[]) : [])
const errorsOf = (step: StepResult): string[] => step.stdout.split('\n').filter((line) => line.startsWith('::error::'))

let hosts: EngineNode[]
let hostTls: RunTls
let hostState: ClusterState<LocalState>
let fake: FakeEc2
let release: Awaited<ReturnType<typeof startReleaseServer>>
const machineHosts: Record<string, { publicIp: string; privateIp: string }> = {}
const toolCache = mkdtempSync(path.join(TEST_TMP, 'tool-cache-'))
chownSync(toolCache, runnerUser()!.uid, runnerUser()!.gid)

/** The engine behind an instance powered off or on, as the local driver's own stop and start do it. */
const power = (fault: 'stop' | 'start') => async (instance: FakeInstance) => {
  const host = hosts.find((candidate) => candidate.ip === instance.PublicIpAddress)
  if (!host) return
  await localDriver.injectFault!(hostState, { fault, nodes: [host], from: [], client: hostTls.client, deadline: new Deadline(30, 'test') })
}

beforeAll(async () => {
  ;({ hosts, tls: hostTls, state: hostState } = await startTestHosts('mf-hosts'))
  release = await startReleaseServer({ version: MACHINE_VERSION, binaryPath: STAND_IN, checksumStyle: 'gitlab' })
  fake = await startFakeEc2({
    region: REGION,
    credentials: [CREDENTIALS],
    hosts: machineHosts,
    shutdownMs: 500,
    onStopped: power('stop'),
    onStarted: power('start'),
    // A terminated instance's engine is gone: its host leaves the swarm, to serve the next test.
    onTerminated: async (instance) => {
      const host = hosts.find((candidate) => candidate.ip === instance.PublicIpAddress)
      const env = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: hostTls.client.dir, DOCKER_HOST: host?.dockerHost ?? '' }
      if (host) await docker(env, ['swarm', 'leave', '--force'])
    }
  })
})

afterAll(async () => {
  await fake?.close()
  await release?.close()
  if (hostState) await localDriver.remove(hostState)
  removeTestClusters()
})

describe('amazonec2: stop and start a worker through docker-machine', () => {
  const cluster = 'mf-ec2'
  const names = ['manager-1', 'worker-1', 'worker-2'].map((short) => `${cluster}-${short}`)
  const job = new Job()
  let env: Record<string, string>
  let main: StepResult
  const fault = (inputs: Record<string, string>) => job.run('main', { action: 'fault', inputs: { name: cluster, ...inputs }, env })

  beforeAll(async () => {
    names.forEach((name, i) => (machineHosts[name] = { publicIp: hosts[i].ip, privateIp: hosts[i].ip }))
    env = ec2StepEnv({
      fake,
      credentials: CREDENTIALS,
      region: REGION,
      repository: REPOSITORY,
      toolCache,
      machineLog: path.join(job.dir, 'machine.log'),
      placed: machineHosts
    })
    main = await job.run('main', {
      inputs: {
        driver: 'amazonec2',
        name: cluster,
        workers: '2',
        ...standInInputs(release.url, hostTls),
        'allowed-cidrs': '198.51.100.7/32',
        'swarm-init-opts': '--dispatcher-heartbeat 1s'
      },
      env
    })
  })
  afterAll(() => job.run('post', { state: main.state, env }))

  it('forms', () => {
    expect(errorsOf(main)).toEqual([])
    expect(main.code).toBe(0)
  })

  it('stop: the instance is stopped at EC2 and the swarm shows the node Down', async () => {
    const stop = await fault({ nodes: 'worker-1', fault: 'stop' })
    expect(errorsOf(stop)).toEqual([])
    expect(stop.code).toBe(0)
    expect(nodesOf(stop).find((node) => node.name === names[1])).toMatchObject({ status: 'down', fault: 'stopped' })
    expect(fake.instances().find((instance) => instance.PublicIpAddress === hosts[1].ip && instance.State !== 'terminated')!.State).toBe('stopped')
    // A stopped node cannot stop again; a running one cannot start.
    expect(errorsOf(await fault({ nodes: 'worker-1', fault: 'stop' }))).toEqual([`::error::input \`nodes\`: ${names[1]} is stopped already`])
    expect(errorsOf(await fault({ nodes: 'worker-2', fault: 'start' }))).toEqual([
      `::error::input \`nodes\`: ${names[2]} is running: only a stopped node can start`
    ])
  })

  it('start: the same node comes back Ready, with its node ID, at its address', async () => {
    const id = nodesOf(main).find((node) => node.name === names[1])!.id
    const start = await fault({ nodes: 'worker-1', fault: 'start' })
    expect(errorsOf(start)).toEqual([])
    expect(start.code).toBe(0)
    expect(nodesOf(start).find((node) => node.name === names[1])).toMatchObject({ id, status: 'ready', fault: 'none' })
    expect(await docker(main.env, ['node', 'ls', '--format', '{{.ID}} {{.Status}}'])).toContain(`${id} Ready`)
  })

  it('pause and partition: refused, naming the driver that can', async () => {
    for (const what of ['pause', 'partition']) {
      const refused = await fault({ nodes: 'worker-2', fault: what })
      expect(refused.code).toBe(1)
      expect(errorsOf(refused)).toEqual([
        `::error::input \`fault\`: the nodes of a amazonec2 cluster cannot ${what}; ${what} works with the \`local\` driver only`
      ])
    }
  })
})

describe('none: hosts docker-machine cannot power', () => {
  it('stop is refused naming the drivers that can; drain works', async () => {
    const job = new Job()
    const env = { RUNNER_TOOL_CACHE: toolCache }
    const main = await job.run('main', {
      inputs: { driver: 'none', name: 'mf-none', ...standInInputs(release.url, hostTls), nodes: noneNodes(hosts.slice(0, 2)) },
      env
    })
    try {
      expect(errorsOf(main)).toEqual([])
      expect(main.code).toBe(0)
      const stop = await job.run('main', { action: 'fault', inputs: { nodes: 'worker-1', fault: 'stop' }, env })
      expect(stop.code).toBe(1)
      expect(errorsOf(stop)).toEqual([
        '::error::input `fault`: the nodes of a none cluster cannot stop; stop works with the `local` driver and the docker-machine drivers that power machines off and on (`virtualbox`, `amazonec2`, other VM and cloud drivers; not `none` or `generic`)'
      ])
      const drain = await job.run('main', { action: 'fault', inputs: { nodes: 'worker-1', fault: 'drain' }, env })
      expect(errorsOf(drain)).toEqual([])
      expect(nodesOf(drain).find((node) => node.name === 'mf-none-worker-1')).toMatchObject({ availability: 'drain' })
    } finally {
      await job.run('post', { state: main.state, env })
    }
  })
})
