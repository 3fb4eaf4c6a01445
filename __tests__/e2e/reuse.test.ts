import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { execFileSync, spawnSync } from 'node:child_process'
import { localDriver } from '../../src/drivers/local/index.js'
import { localNames, type LocalState } from '../../src/drivers/local/names.js'
import type { EngineNode } from '../../src/engine/node.js'
import type { ClusterState } from '../../src/state/cluster.js'
import { type RunTls } from '../../src/engine/tls.js'
import { startReleaseServer } from '../fixtures/release-server.js'
import { Job, linesShowing, TEST_TMP, type StepResult } from '../harness/action.js'
import { docker, importTestImage, TEST_IMAGE, waitFor } from '../harness/docker.js'
import { leftovers, NOTHING_LEFT, removeTestClusters } from '../harness/host.js'
import { startRunnerEngine, type RunnerEngine } from '../harness/runner-engine.js'
import { MACHINE_VERSION, noneNodes, STAND_IN, standInInputs, startTestHosts } from '../harness/hosts.js'
import { httpGet } from '../harness/http.js'
import { runnerUser } from '../harness/runner-user.js'

// Clusters kept with `cleanup: false`, found again by name from a second main with fresh state (a
// new job: its own RUNNER_TEMP, no saved state), checked, reused with the same outputs, the stack
// redeployed into them, and destroyed by name, through dist/ as the runner runs it.

type NodeOutput = { name: string; role: string; ip: string; dockerHost: string; id: string }
type ServiceOutput = { name: string; image: string; ports: Array<{ address: string }> }

/** A runner's home that outlives its jobs, as a self-hosted runner's does: kept clusters live under it. */
function runnerHome(): string {
  const home = mkdtempSync(path.join(TEST_TMP, 'home-'))
  chownSync(home, runnerUser()!.uid, runnerUser()!.gid)
  return home
}

/** The runner empties RUNNER_TEMP at the end of every job: a kept cluster must not need it. */
function endJob(job: Job): void {
  rmSync(job.runnerTemp, { recursive: true, force: true })
}

function writeCompose(job: Job, text: string): string {
  const folder = path.join(job.dir, 'app')
  mkdirSync(folder, { recursive: true })
  writeFileSync(path.join(folder, 'stack.yml'), text)
  chownSync(folder, runnerUser()!.uid, runnerUser()!.gid)
  return path.join('app', 'stack.yml')
}

const nodesOf = (step: StepResult): NodeOutput[] => (step.outputs.nodes ? (JSON.parse(step.outputs.nodes) as NodeOutput[]) : [])
const servicesOf = (step: StepResult): ServiceOutput[] => (step.outputs.services ? (JSON.parse(step.outputs.services) as ServiceOutput[]) : [])
/** The outputs that say where the swarm is: a reuse gives the same. */
const SAME_OUTPUTS = ['name', 'manager-ip', 'manager-address', 'docker-host', 'cert-path', 'nodes', 'worker-token', 'manager-token']

afterAll(() => {
  removeTestClusters()
})

describe('local: kept, reused from a second job, the stack redeployed, destroyed by name', () => {
  const name = 'reuse-local'
  const image = 'reuse/web:ci'
  const home = runnerHome()
  const keptDir = Job.keptDir(name, home)
  const bridge = localNames(name, 0).bridge
  const first = new Job()
  const second = new Job()
  const third = new Job()
  let engine: RunnerEngine
  let main1: StepResult
  let post1: StepResult
  let main2: StepResult
  let post2: StepResult
  let destroy: StepResult
  let servedBefore = ''
  let servedAfter = ''
  let keptAfterFirstJob = false
  let left: ReturnType<typeof leftovers>

  beforeAll(async () => {
    engine = await startRunnerEngine('reuse-local')
    const env = { ...engine.env, XDG_STATE_HOME: home }
    const compose = `services:
  web:
    image: ${image}
    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
    ports: [{ target: 8080, published: 18090, mode: host }]
    deploy: { endpoint_mode: dnsrr }
`
    const inputs = { name, workers: '1', cleanup: 'false', images: image }
    engine.buildImage(image)
    main1 = await first.run('main', { inputs: { ...inputs, stack: writeCompose(first, compose) }, env })
    post1 = await first.run('post', { state: main1.state, env })
    servedBefore = await httpGet(servicesOf(main1)[0].ports[0].address).catch((error: Error) => error.message)
    endJob(first)
    keptAfterFirstJob = existsSync(path.join(keptDir, 'cluster.json'))

    // A new image under the same tag: the redeploy must run it.
    engine.buildImage(image, 1)
    main2 = await second.run('main', { inputs: { ...inputs, stack: writeCompose(second, compose) }, env })
    post2 = await second.run('post', { state: main2.state, env })
    const address = servicesOf(main2)[0]?.ports[0].address
    servedAfter = address ? await httpGet(address).catch((error: Error) => error.message) : 'no service output'
    endJob(second)

    destroy = await third.run('main', { action: 'destroy', inputs: { name, driver: 'local' }, env })
    left = leftovers(bridge, keptDir)
  })
  afterAll(async () => {
    await engine?.stop()
  })

  it('the first job makes the cluster in the runner user’s kept home, outside RUNNER_TEMP, and its post keeps it', () => {
    expect(main1.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(main1.code).toBe(0)
    expect(main1.outputs['cert-path']).toBe(path.join(keptDir, 'tls'))
    expect(post1.stdout).toContain(`cleanup is false: kept swarm ${name}`)
    expect(servedBefore).toBe(`setup-swarm ${image}\n`)
    expect(keptAfterFirstJob).toBe(true)
  })

  it('a second job with fresh state finds it by name, checks it and attaches: no node is made anew, the same outputs and Docker environment', () => {
    expect(main2.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(main2.code).toBe(0)
    expect(main2.stdout).toContain(`reusing kept swarm ${name}: every node answers and is Ready`)
    expect(main2.stdout).not.toMatch(/Creating \d+ manager/)
    expect(Object.fromEntries(SAME_OUTPUTS.map((key) => [key, main2.outputs[key]]))).toEqual(
      Object.fromEntries(SAME_OUTPUTS.map((key) => [key, main1.outputs[key]]))
    )
    expect(nodesOf(main2).map((node) => node.id)).toHaveLength(2)
    expect(main2.env).toEqual({ DOCKER_HOST: main1.env.DOCKER_HOST, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: path.join(keptDir, 'tls') })
    for (const token of [main2.outputs['worker-token'], main2.outputs['manager-token']]) {
      expect(linesShowing(token, main2.stdout + main2.stderr)).toEqual([])
    }
    expect(post2.stdout).toContain(`cleanup is false: kept swarm ${name}`)
  })

  it('redeploys the stack into the kept swarm: the service runs the new image and answers', () => {
    const [web] = servicesOf(main2)
    expect(web.name).toBe('app_web')
    expect(web.image).not.toBe(servicesOf(main1)[0].image)
    expect(servedAfter).toBe(`setup-swarm ${image}\n`)
    expect(main2.stdout).toMatch(/stack app converged: app_web 1\/1/)
  })

  it('destroy by name removes every engine, namespace, link, rule, cgroup and file: nothing is left', () => {
    expect(destroy.stdout.match(/::(error|warning)::.*/)?.[0]).toBeUndefined()
    expect(destroy.code).toBe(0)
    expect(destroy.stdout).toContain(`removed local cluster ${name}: 2 node(s), bridge ${bridge}`)
    // Only what this cluster made: host-wide markers belong to whatever other cluster runs meanwhile.
    expect({ ...left, hostChanges: [] }).toEqual(NOTHING_LEFT)
  })
})

describe('local: a kept cluster that is not healthy', () => {
  it('fails naming the node and what to do, and changes nothing', async () => {
    const name = 'reuse-sick'
    const home = runnerHome()
    const env = { XDG_STATE_HOME: home }
    const inputs = { name, workers: '1', cleanup: 'false' }
    const first = new Job()
    const main1 = await first.run('main', { inputs, env })
    endJob(first)
    // The worker's engine dies (its namespace's processes are killed), as a node of a long-lived cluster may.
    const worker = localNames(name, 2).netns[1]
    const pids = execFileSync('ip', ['netns', 'pids', worker], { encoding: 'utf8' }).split(/\s+/).filter(Boolean)
    // The namespace's init takes the others along: some may be gone before their own kill.
    spawnSync('kill', ['-KILL', ...pids])
    const second = new Job()
    const main2 = await second.run('main', { inputs: { ...inputs, timeout: '20' }, env })
    const destroy = await second.run('main', { action: 'destroy', inputs: { name, driver: 'local' }, env })
    expect(main1.code).toBe(0)
    expect(main2.code).toBe(1)
    expect(main2.stdout).toMatch(
      new RegExp(
        `::error::kept cluster "${name}" is not healthy: ${name}-worker-1's engine at tcp://[\\d.]+:2376 does not answer .*Destroy it by name`
      )
    )
    expect(main2.outputs).toEqual({})
    expect(destroy.code).toBe(0)
    expect({ ...leftovers(localNames(name, 0).bridge, Job.keptDir(name, home)), hostChanges: [] }).toEqual(NOTHING_LEFT)
  })

  it('destroy by name of a cluster that is not there removes nothing and succeeds', async () => {
    const job = new Job()
    const destroy = await job.run('main', {
      action: 'destroy',
      inputs: { name: 'reuse-never', driver: 'local' },
      env: { XDG_STATE_HOME: runnerHome() }
    })
    expect(destroy.code).toBe(0)
    expect(destroy.summary).toContain('Nothing to remove.')
  })
})

describe('none: hosts kept in their swarm, reused from a second job without docker-machine, destroyed by name', () => {
  const name = 'reuse-none'
  let hosts: EngineNode[]
  let hostTls: RunTls
  let hostState: ClusterState<LocalState>
  let release: Awaited<ReturnType<typeof startReleaseServer>>
  let main1: StepResult
  let main2: StepResult
  let destroy: StepResult
  let machineCallsOfSecondJob: string[] = []
  let swarmStates: string[] = []
  let containersLeft: string[] = []
  let home: string

  const inputs = () => ({
    driver: 'none',
    name,
    cleanup: 'false',
    ...standInInputs(release.url, hostTls),
    nodes: noneNodes(hosts)
  })

  beforeAll(async () => {
    // Three plain engines (no swarm) as the user's hosts, with a CA the user keeps.
    ;({ hosts, tls: hostTls, state: hostState } = await startTestHosts('reuse-hosts'))
    release = await startReleaseServer({ version: MACHINE_VERSION, binaryPath: STAND_IN, checksumStyle: 'gitlab' })
    home = runnerHome()
    const toolCache = mkdtempSync(path.join(TEST_TMP, 'reuse-tool-cache-'))
    chownSync(toolCache, runnerUser()!.uid, runnerUser()!.gid)

    const first = new Job()
    const log1 = path.join(first.dir, 'machine.log')
    const env1 = { XDG_STATE_HOME: home, RUNNER_TOOL_CACHE: toolCache, FAKE_MACHINE_LOG: log1 }
    main1 = await first.run('main', { inputs: inputs(), env: env1 })
    await first.run('post', { state: main1.state, env: env1 })
    // A service with a task on every host: leaving the swarm must take its containers along.
    const clientEnv = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: hostTls.client.dir }
    await importTestImage(
      clientEnv,
      hosts.map((host) => host.dockerHost)
    )
    await docker({ ...clientEnv, DOCKER_HOST: hosts[0].dockerHost }, [
      'service',
      'create',
      '--detach',
      '--mode',
      'global',
      '--name',
      'idle',
      TEST_IMAGE,
      'sleep',
      '3600'
    ])
    await waitFor('a task on every host', async () => {
      const running = await Promise.all(hosts.map((host) => docker({ ...clientEnv, DOCKER_HOST: host.dockerHost }, ['ps', '-q'])))
      return running.every(Boolean) ? true : undefined
    })
    endJob(first)

    // Another runner: its own RUNNER_TEMP, its own (empty) kept home, no docker-machine in its tool cache.
    const second = new Job()
    const log2 = path.join(second.dir, 'machine.log')
    main2 = await second.run('main', { inputs: inputs(), env: { XDG_STATE_HOME: runnerHome(), FAKE_MACHINE_LOG: log2 } })
    machineCallsOfSecondJob = existsSync(log2) ? readFileSync(log2, 'utf8').trim().split('\n').filter(Boolean) : []
    endJob(second)

    const third = new Job()
    destroy = await third.run('main', {
      action: 'destroy',
      inputs: {
        name,
        driver: 'none',
        nodes: inputs().nodes,
        'tls-ca-cert': hostTls.files.caCert,
        'tls-client-cert': hostTls.files.clientCert,
        'tls-client-key': hostTls.files.clientKey
      },
      env: { XDG_STATE_HOME: home }
    })
    swarmStates = await Promise.all(
      hosts.map((host) => docker({ ...clientEnv, DOCKER_HOST: host.dockerHost }, ['info', '--format', '{{.Swarm.LocalNodeState}}']))
    )
    containersLeft = (
      await Promise.all(
        hosts.map((host) =>
          waitFor(
            `no container on ${host.name}`,
            async () => ((await docker({ ...clientEnv, DOCKER_HOST: host.dockerHost }, ['ps', '-q'])) === '' ? '' : undefined),
            20_000
          ).catch(() => host.name)
        )
      )
    ).filter(Boolean)
  })
  afterAll(async () => {
    await release?.close()
    if (hostState) await localDriver.remove(hostState)
  })

  it('the first job forms the swarm of the hosts and keeps it', () => {
    expect(main1.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(main1.code).toBe(0)
  })

  it('a second job on another runner finds the hosts in the swarm labelled with the cluster, without docker-machine, with the same outputs', () => {
    expect(main2.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(main2.code).toBe(0)
    expect(main2.stdout).toContain(`reusing kept swarm ${name}: every node answers and is Ready`)
    expect(machineCallsOfSecondJob).toEqual([])
    const same = SAME_OUTPUTS.filter((key) => key !== 'cert-path')
    expect(Object.fromEntries(same.map((key) => [key, main2.outputs[key]]))).toEqual(Object.fromEntries(same.map((key) => [key, main1.outputs[key]])))
    expect(main2.env.DOCKER_HOST).toBe(hosts[0].dockerHost)
  })

  it('destroy by name: every host leaves the swarm, its tasks’ containers go with it, and the kept files go', () => {
    expect(destroy.stdout.match(/::(error|warning)::.*/)?.[0]).toBeUndefined()
    expect(destroy.code).toBe(0)
    expect(destroy.stdout.match(/left the swarm of cluster reuse-none/g)).toHaveLength(3)
    expect(swarmStates).toEqual(['inactive', 'inactive', 'inactive'])
    expect(containersLeft).toEqual([])
    expect(readdirSync(path.dirname(Job.keptDir(name, home)))).toEqual([])
  })
})

describe('bad input for a kept cluster fails naming it, before anything exists', () => {
  it('a kept none cluster without the tls-* inputs', async () => {
    const job = new Job()
    const home = runnerHome()
    const main = await job.run('main', {
      inputs: { driver: 'none', name: 'reuse-notls', cleanup: 'false', nodes: '- role: manager\n  opts: --url tcp://192.0.2.1:2376' },
      env: { XDG_STATE_HOME: home }
    })
    expect(main.code).toBe(1)
    expect(main.stdout).toMatch(/::error::inputs `tls-ca-cert`, `tls-ca-key`, `tls-client-cert`, `tls-client-key`: a kept none cluster/)
    expect(main.state.cluster).toBeUndefined()
    expect(readdirSync(home)).toEqual([])
  })

  it('destroy of a none cluster without its hosts', async () => {
    const job = new Job()
    const destroy = await job.run('main', { action: 'destroy', inputs: { name: 'reuse-nohosts', driver: 'none' } })
    expect(destroy.code).toBe(1)
    expect(destroy.stdout).toContain("::error::input `nodes`: a none cluster's hosts")
  })
})
