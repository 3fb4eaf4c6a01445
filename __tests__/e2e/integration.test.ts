import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { localNames } from '../../src/drivers/local/names.js'
import { findExecutable } from '../../src/tools/command.js'
import { docker } from '../harness/docker.js'
import { httpGet } from '../harness/http.js'
import { Job, linesShowing, TEST_TMP, type StepResult } from '../harness/action.js'
import { leftovers, NOTHING_LEFT, removeTestClusters } from '../harness/host.js'
import { RUNNER_STORE, startRunnerEngine, type RunnerEngine } from '../harness/runner-engine.js'
import { runnerUser } from '../harness/runner-user.js'

// Integration tests in one step, end to end through dist/: the job's images (built on the runner's
// own engine, a dockerd of the test's own; no registry anywhere) in every node, a stack deployed
// and converged, and diagnostics when main or a later step fails.

const IMAGE = 'integ/app:1'

type ServiceOutput = {
  name: string
  mode: string
  replicas: number
  running: number
  image: string
  ports: Array<{ protocol: string; target: number; published: number; mode: string; address: string; addresses: string[] }>
}
type NodeOutput = { name: string; role: string; ip: string; dockerHost: string }

/** A compose file in the job's workspace, where the runner user reads it. */
function writeCompose(job: Job, dir: string, text: string, extra: Record<string, string> = {}): string {
  const folder = path.join(job.dir, dir)
  mkdirSync(folder, { recursive: true })
  for (const [file, content] of Object.entries({ 'stack.yml': text, ...extra })) writeFileSync(path.join(folder, file), content)
  chownSync(folder, runnerUser()!.uid, runnerUser()!.gid)
  return path.join(dir, 'stack.yml')
}

/** Every file under a directory, with its content. */
function filesUnder(dir: string): Map<string, string> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
  return new Map(
    entries.map((entry) => [
      path.relative(dir, path.join(entry.parentPath, entry.name)),
      readFileSync(path.join(entry.parentPath, entry.name), 'utf8')
    ])
  )
}

/** What must never be in diagnostics: join tokens, the run's private keys, a service's secret values. */
function secretsOf(main: StepResult, clusterDir: string, extra: string[]): string[] {
  const keys = [path.join(clusterDir, 'tls', 'key.pem'), path.join(clusterDir, 'ca', 'ca-key.pem')]
  const keyBodies = keys.filter(existsSync).map((file) => readFileSync(file, 'utf8').split('\n')[1])
  return [main.outputs['worker-token'], main.outputs['manager-token'], ...keyBodies, ...extra].filter(Boolean)
}

afterAll(() => {
  removeTestClusters()
})

describe('images and a stack of two services on 1 manager and 2 workers', () => {
  const job = new Job()
  const name = 'integ-stack'
  const secret = `integ-secret-${randomBytes(8).toString('hex')}`
  let engine: RunnerEngine
  let imageId: string
  let configDigest: string
  let main: StepResult
  let diagnose: StepResult
  let services: ServiceOutput[] = []
  let nodes: NodeOutput[] = []

  beforeAll(async () => {
    engine = await startRunnerEngine('integ-stack')
    imageId = engine.buildImage(IMAGE)
    configDigest = engine.configDigest(IMAGE)
    // `web` answers on a port published in host mode (no IPVS here), `agent` runs on every node.
    const stack = writeCompose(
      job,
      'app',
      `services:
  web:
    image: ${IMAGE}
    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
    environment:
      INTEG_SECRET: ${secret}
    ports: [{ target: 8080, published: 18080, mode: host }]
    deploy: { endpoint_mode: dnsrr }
  agent:
    image: ${IMAGE}
    command: ["sleep", "3600"]
    deploy: { mode: global, endpoint_mode: dnsrr }
`
    )
    main = await job.run('main', { inputs: { name, workers: '2', images: IMAGE, stack }, env: engine.env })
    services = main.outputs.services ? (JSON.parse(main.outputs.services) as ServiceOutput[]) : []
    nodes = main.outputs.nodes ? (JSON.parse(main.outputs.nodes) as NodeOutput[]) : []
    // A later step of the job failed: the workflow runs the diagnose action, with no name.
    diagnose = await job.run('main', { action: 'diagnose', env: { ...engine.env, ...main.env } })
  })
  afterAll(async () => {
    await job.run('post', { state: main.state })
    await engine?.stop()
  })

  it('succeeds, with the stack named after its directory, and describes every service in `services`', () => {
    expect(main.stderr).toBe('')
    expect(main.code).toBe(0)
    expect(services.map((service) => [service.name, service.mode, service.replicas, service.running]).sort()).toEqual([
      ['app_agent', 'global', 3, 3],
      ['app_web', 'replicated', 1, 1]
    ])
    const web = services.find((service) => service.name === 'app_web')!
    expect(web.ports).toEqual([
      { protocol: 'tcp', target: 8080, published: 18080, mode: 'host', address: expect.stringMatching(/:18080$/), addresses: [web.ports[0]?.address] }
    ])
    expect(nodes.map((node) => `${node.ip}:18080`)).toContain(web.ports[0].address)
  })

  it("loads the image once, into the first node, and the others start with its image store: every node has the runner's image", async () => {
    expect(main.stdout).toContain(`loading ${IMAGE} into ${name}-manager-1\n`)
    expect(main.stdout).toMatch(/loaded 1 image\(s\), [\d.]+ MB read once from the runner's engine, into 1 node\(s\)/)
    expect(main.stdout).toMatch(new RegExp(`the image store of ${name}-manager-1 shared with 2 node\\(s\\) \\(hard links\\)`))
    // Main checks every node's images against the runner's, and finds nothing left to load.
    expect(main.stdout).toContain(`already holding every image (same image), skipped: ${nodes.map((node) => node.name).join(', ')}`)
    // The nodes keep the graph driver's store, whatever the runner's: an image's ID there is its config's digest.
    for (const node of nodes) {
      expect(await docker({ ...main.env, DOCKER_HOST: node.dockerHost }, ['image', 'inspect', '--format', '{{.Id}}', IMAGE])).toBe(configDigest)
    }
    if (engine.store === 'graph') expect(configDigest).toBe(imageId)
    else expect(configDigest).not.toBe(imageId)
  })

  it('runs the global service on every node from the loaded image, by its ID: no registry is asked', async () => {
    const tasks = await docker(main.env, [
      'service',
      'ps',
      'app_agent',
      '--filter',
      'desired-state=running',
      '--format',
      '{{.Node}} {{.CurrentState}}'
    ])
    const running = tasks.split('\n').filter((line) => / Running /.test(line))
    expect(running.map((line) => line.split(' ')[0]).sort()).toEqual(nodes.map((node) => node.name).sort())
    expect(services.every((service) => service.image === configDigest)).toBe(true)
    expect(main.stdout).toContain('by image ID, so that no node asks a registry: agent, web')
  })

  it('serves the port published in host mode to the runner, at the address of `services`', async () => {
    const web = services.find((service) => service.name === 'app_web')
    expect(await httpGet(web!.ports[0].address)).toBe(`setup-swarm ${IMAGE}\n`)
  })

  it('shows the services in the job summary', () => {
    expect(main.summary).toContain('<th>Service</th>')
    expect(main.summary).toMatch(/app_web<\/td><td>replicated<\/td><td>1\/1<\/td><td>[\d.]+:18080 → 8080\/tcp \(host\)/)
  })

  it('diagnose, after a later step failed, finds the only cluster and collects node ls, services, infos and engine logs', () => {
    expect(diagnose.code).toBe(0)
    const dir = diagnose.outputs['diagnostics-path']
    const files = filesUnder(dir)
    expect([...files.keys()].sort()).toEqual(
      [
        'README.txt',
        'node-ls.txt',
        'services.txt',
        ...['app_agent', 'app_web'].flatMap((service) => [`services/${service}/logs.txt`, `services/${service}/ps.txt`]),
        ...nodes.flatMap((node) => [`nodes/${node.name}/engine.log`, `nodes/${node.name}/info.txt`])
      ].sort()
    )
    for (const node of nodes) {
      expect(files.get('node-ls.txt')).toContain(node.name)
      expect(files.get(`nodes/${node.name}/info.txt`)).toContain(`Name: ${node.name}`)
      expect(files.get(`nodes/${node.name}/engine.log`)).toMatch(/API listen on/)
    }
    expect(files.get('services/app_agent/ps.txt')).toContain('Running')
    // Not on a GitHub runner: no artifact, a warning that says where the files are; the step passes.
    expect(diagnose.stdout).toContain(`::warning::the diagnostics of swarm ${name} were not uploaded (not on a GitHub runner`)
    expect(diagnose.summary).toContain(`Diagnostics of swarm ${name}`)
    expect(diagnose.summary).toContain('A step of the job failed')
  })

  it('puts no secret into the diagnostics: join tokens, keys, service environments', () => {
    const files = filesUnder(diagnose.outputs['diagnostics-path'])
    const secrets = secretsOf(main, path.join(job.runnerTemp, 'setup-swarm', name), [secret])
    expect(secrets.length).toBe(5)
    const found = [...files].flatMap(([file, text]) => secrets.filter((value) => text.includes(value)).map(() => file))
    expect(found).toEqual([])
    expect([...files.values()].some((text) => text.includes('SWMTKN-1-'))).toBe(false)
    // The record the diagnose action found the cluster by holds none either.
    const record = readFileSync(path.join(job.runnerTemp, 'setup-swarm', name, 'cluster.json'), 'utf8')
    expect(secrets.filter((value) => record.includes(value))).toEqual([])
    for (const token of [main.outputs['worker-token'], main.outputs['manager-token']]) expect(linesShowing(token, diagnose.stdout)).toEqual([])
  })
})

describe('a stack whose service cannot start', () => {
  const job = new Job()
  const name = 'integ-broken'
  const secret = `integ-secret-${randomBytes(8).toString('hex')}`
  let engine: RunnerEngine
  let main: StepResult

  beforeAll(async () => {
    engine = await startRunnerEngine('integ-broken')
    engine.buildImage(IMAGE)
    const stack = writeCompose(
      job,
      'broken',
      `services:
  fine:
    image: ${IMAGE}
    command: ["sleep", "3600"]
    deploy: { endpoint_mode: dnsrr }
  broken:
    image: ${IMAGE}
    command: ["/no/such/command"]
    environment:
      INTEG_SECRET: ${secret}
    secrets: [token]
    deploy: { endpoint_mode: dnsrr }
secrets:
  token:
    file: ./token.txt
`,
      { 'token.txt': `${secret}-file\n` }
    )
    main = await job.run('main', { inputs: { name, workers: '1', images: IMAGE, stack, 'stack-name': 'integ-bad' }, env: engine.env })
  })
  afterAll(async () => {
    await job.run('post', { state: main.state })
    await engine?.stop()
  })

  it("fails main naming the service, with its tasks' errors and its log tail", () => {
    expect(main.code).toBe(1)
    const error = main.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? ''
    expect(error).toContain('::error::stack integ-bad: integ-bad_broken keeps failing')
    expect(error).not.toContain('integ-bad_fine keeps')
    // The error is one annotation: its lines are %0A-escaped.
    expect(error).toContain('docker service ps --no-trunc integ-bad_broken:')
    expect(error).toMatch(/\/no\/such\/command.*(no such file or directory|not found)/)
    expect(error).toContain('last 20 log lines of integ-bad_broken:')
  })

  it('says while waiting which services are still converging, and only those', () => {
    const progress = main.stdout.split('\n').filter((line) => line.startsWith('still waiting for the services of stack integ-bad to converge'))
    expect(progress.length).toBeGreaterThan(0)
    for (const line of progress) {
      expect(line).toMatch(/: integ-bad_broken 0\/1( \(\d failed\))?$/)
    }
  })

  it('collects the diagnostics in main: node ls, both services, each node', () => {
    const dir = main.outputs['diagnostics-path']
    const files = filesUnder(dir)
    expect(files.get('services/integ-bad_broken/ps.txt')).toMatch(/\/no\/such\/command/)
    expect(files.has('services/integ-bad_fine/logs.txt')).toBe(true)
    expect(files.get('node-ls.txt')).toContain(`${name}-worker-1`)
    for (const node of [`${name}-manager-1`, `${name}-worker-1`]) {
      expect(files.has(`nodes/${node}/info.txt`)).toBe(true)
      expect(files.has(`nodes/${node}/engine.log`)).toBe(true)
    }
    expect(main.summary).toContain(`Diagnostics of swarm ${name}`)
    expect(main.summary).toContain('Main failed: stack integ-bad: integ-bad_broken keeps failing')
  })

  it('puts no secret into them: join tokens, keys, the service environment and its secret', () => {
    const files = filesUnder(main.outputs['diagnostics-path'])
    const secrets = secretsOf(main, path.join(job.runnerTemp, 'setup-swarm', name), [secret, `${secret}-file`])
    expect(secrets.length).toBe(6)
    const found = [...files].flatMap(([file, text]) => secrets.filter((value) => text.includes(value)).map(() => file))
    expect(found).toEqual([])
  })
})

// Only a containerd-store runner holds such images; a graph driver's store has one platform per image.
const onContainerdRunner = RUNNER_STORE === 'containerd' ? describe : describe.skip

onContainerdRunner('a multi-platform image whose other platforms are absent, as `docker pull` leaves it in the containerd store', () => {
  const job = new Job()
  const name = 'integ-multi'
  const image = 'integ/multi:1'
  let engine: RunnerEngine
  let main: StepResult
  let nodes: NodeOutput[] = []

  beforeAll(async () => {
    engine = await startRunnerEngine('integ-multi')
    engine.buildImage(image)
    engine.makeMultiPlatform(image)
    main = await job.run('main', { inputs: { name, workers: '1', images: image }, env: engine.env })
    nodes = main.outputs.nodes ? (JSON.parse(main.outputs.nodes) as NodeOutput[]) : []
  })
  afterAll(async () => {
    await job.run('post', { state: main.state })
    await engine?.stop()
  })

  it("is an index on the runner's engine, with one platform's content absent", async () => {
    const inspected = await engine.api<{ Manifests: Array<{ Available: boolean; ImageData?: { Platform: { architecture: string } } }> }>(
      `/images/${encodeURIComponent(image)}/json?manifests=1`
    )
    expect(inspected.Manifests.map((manifest) => [manifest.ImageData?.Platform.architecture, manifest.Available])).toEqual([
      ['amd64', true],
      ['arm64', false]
    ])
  })

  it("reaches every node, saved for the runner's platform only, the same image as the runner's", async () => {
    expect(main.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(main.code).toBe(0)
    expect(main.stdout).toContain("the runner's engine keeps images in the containerd store: exported with ctr images export for linux/amd64 only")
    const layers = (reference: string, env: Record<string, string>) =>
      docker(env, ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', reference])
    const runnerLayers = await layers(image, engine.env)
    expect(nodes).toHaveLength(2)
    for (const node of nodes) expect(await layers(image, { ...main.env, DOCKER_HOST: node.dockerHost })).toBe(runnerLayers)
  })
})

onContainerdRunner('an export cut short on its way to a node', () => {
  const job = new Job()
  const name = 'integ-cut'
  let engine: RunnerEngine
  let main: StepResult
  let nodes: NodeOutput[] = []
  // containerd's export, through a \`ctr\` first on the step's PATH: its first export ends after
  // 1 MB with success, as a stream broken on the way does; everything else is the real ctr's.
  const wrapper = mkdtempSync(path.join(TEST_TMP, 'ctr-'))

  beforeAll(async () => {
    engine = await startRunnerEngine('integ-cut')
    engine.buildImage(IMAGE, 8)
    const ctr = findExecutable('ctr')
    const script = [
      '#!/bin/sh',
      `case " $* " in *" images export "*) if mkdir "${wrapper}/cut" 2>/dev/null; then "${ctr}" "$@" | head -c 1048576; exit 0; fi ;; esac`,
      `exec "${ctr}" "$@"`
    ].join('\n')
    writeFileSync(path.join(wrapper, 'ctr'), `${script}\n`, { mode: 0o755 })
    chmodSync(wrapper, 0o755)
    main = await job.run('main', { inputs: { name, workers: '1', images: IMAGE }, env: { ...engine.env, PATH: `${wrapper}:${process.env.PATH}` } })
    nodes = main.outputs.nodes ? (JSON.parse(main.outputs.nodes) as NodeOutput[]) : []
  })
  afterAll(async () => {
    await job.run('post', { state: main.state })
    await engine?.stop()
    rmSync(wrapper, { recursive: true, force: true })
  })

  it('is loaded again, once, by docker save, with a warning that names the broken load; every node then holds the image', async () => {
    expect(existsSync(path.join(wrapper, 'cut'))).toBe(true)
    expect(main.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(main.code).toBe(0)
    expect(main.stdout).toMatch(
      /::warning::loading the images failed \(the export ended well after 1\.0 MB\): tcp:\/\/[\d.]+:2376 POST \/images\/load: .*; loading into those node\(s\) again, once, with docker save/
    )
    const layers = (env: Record<string, string>) => docker(env, ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', IMAGE])
    const runnerLayers = await layers(engine.env)
    expect(nodes).toHaveLength(2)
    for (const node of nodes) expect(await layers({ ...main.env, DOCKER_HOST: node.dockerHost })).toBe(runnerLayers)
  })
})

describe('images and stacks that cannot be used: a clear error before anything is created', () => {
  let engine: RunnerEngine
  beforeAll(async () => {
    engine = await startRunnerEngine('integ-bad-input')
    engine.buildImage(IMAGE)
  })
  afterAll(async () => {
    await engine?.stop()
  })

  const expectNothingCreated = (job: Job, main: StepResult, name: string) => {
    expect(main.stdout).not.toContain('Creating ')
    expect(main.state.cluster).toBeUndefined()
    expect(readdirSync(job.runnerTemp)).toEqual([])
    // Only what this cluster would have made: the host-wide markers belong to whatever other cluster runs meanwhile.
    const left = leftovers(localNames(name, 0).bridge, path.join(job.runnerTemp, 'setup-swarm', name))
    expect({ ...left, hostChanges: [] }).toEqual(NOTHING_LEFT)
  }

  it("an image missing on the runner's engine is named", async () => {
    const job = new Job()
    const main = await job.run('main', { inputs: { name: 'integ-missing', images: `${IMAGE}\nintegmissing/nothing:1` }, env: engine.env })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain(`::error::input \`images\`: "integmissing/nothing:1" is not on the runner's Docker engine`)
    expectNothingCreated(job, main, 'integ-missing')
  })

  it('a runner engine that does not answer is named as such', async () => {
    const job = new Job()
    const main = await job.run('main', { inputs: { name: 'integ-noengine', images: IMAGE }, env: { DOCKER_HOST: `unix://${job.dir}/none.sock` } })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain("::error::input `images`: the runner's Docker engine does not answer")
    expectNothingCreated(job, main, 'integ-noengine')
  })

  it('a compose file that does not load is named', async () => {
    const job = new Job()
    const stack = writeCompose(job, 'bad', 'services:\n  web: { image: [ }\n')
    const main = await job.run('main', { inputs: { name: 'integ-badstack', stack }, env: engine.env })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('::error::input `stack`: the compose files do not load')
    expectNothingCreated(job, main, 'integ-badstack')
  })

  it('a compose file that is not there is named', async () => {
    const job = new Job()
    const main = await job.run('main', { inputs: { name: 'integ-nostack', stack: 'nowhere/stack.yml' }, env: engine.env })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('::error::input `stack`: cannot read the compose file nowhere/stack.yml')
    expectNothingCreated(job, main, 'integ-nostack')
  })
})

describe('diagnose on a runner without a cluster', () => {
  it('warns and passes: it never fails the job by itself', async () => {
    const job = new Job()
    const step = await job.run('main', { action: 'diagnose' })
    expect(step.code).toBe(0)
    expect(step.stdout).toContain('::warning::setup-swarm diagnose: no cluster with nodes on this runner')
  })

  it('warns naming the cluster it was asked for', async () => {
    const job = new Job()
    const step = await job.run('main', { action: 'diagnose', inputs: { name: 'integ-nowhere' } })
    expect(step.code).toBe(0)
    expect(step.stdout).toContain('::warning::setup-swarm diagnose: no cluster named "integ-nowhere" on this runner')
  })
})
