import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chownSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { Engine } from '../../src/engine/api.js'
import { clientCertDir, prepareRunTls, readClientTls } from '../../src/engine/tls.js'
import { securityGroupName } from '../../src/drivers/ec2/security-group.js'
import { startFakeEc2, tagValue, type FakeCredentials, type FakeEc2 } from '../fixtures/fake-ec2.js'
import { Job, TEST_REPOSITORY, TEST_TMP, type StepOptions } from '../harness/action.js'
import { tlsInputs } from '../harness/hosts.js'
import { runnerUser } from '../harness/runner-user.js'
import { credentialEnv } from '../harness/ec2.js'
import { startInstanceHosts, type InstanceHosts } from '../harness/instance-hosts.js'

// driver aws end to end, with no AWS account: dist/ run as the runner runs it (a sudo user) against
// the fake EC2 endpoint, whose instances boot on real hosts as cloud-init boots Ubuntu: the user data
// runs once as root, the host keys reach the console, sshd takes the cluster's key, and a systemctl
// stand-in runs docker.service. Each host has a public address (the runner's way in) and a private one
// (the swarm's). The action launches, verifies the host keys from the console, hands over the engine's
// certificate over SSH, forms the swarm on the private addresses, and post leaves nothing.

const REGION = 'eu-west-1'
const CREDENTIALS: FakeCredentials = {
  accessKeyId: 'ASIAE2EAWSDRIVER0001',
  secretAccessKey: 'e2e/Aws+Driver+Secret/0123456789abcdefgh',
  sessionToken: 'IQoJb3JpZ2luX2VjEe2eAwsDriverSessionToken/0123456789+abcdefghijklmnopqrstuvwxyz=='
}
const SECRETS = Object.values(CREDENTIALS) as string[]

let hosts: InstanceHosts
let fake: FakeEc2

beforeAll(async () => {
  hosts = await startInstanceHosts('awsdrv', 3)
  fake = await startFakeEc2({ region: REGION, credentials: [CREDENTIALS], instanceHosts: hosts, shutdownMs: 500, releaseMs: 500 })
}, 120_000)

afterAll(async () => {
  await fake?.settled()
  await fake?.close()
  await hosts?.stop()
})

function awsJob() {
  const job = new Job()
  const env = { ...credentialEnv(CREDENTIALS), AWS_REGION: REGION, AWS_ENDPOINT_URL_EC2: fake.url, AWS_EC2_METADATA_DISABLED: 'true' }
  const run = (step: 'main' | 'post', options: StepOptions = {}) => job.run(step, { timeoutMs: 240_000, ...options, env: { ...env, ...options.env } })
  return { job, run }
}

const inputs = (name: string, extra: Record<string, string> = {}) => ({
  driver: 'aws',
  name,
  managers: '1',
  workers: '2',
  'allowed-cidrs': '198.51.100.7/32',
  timeout: '180',
  ...extra
})

/** The cluster's resources at the fake EC2 that are still live, one line each. */
function liveResources(cluster: string): string[] {
  const ours = (tags: Array<{ Key: string; Value: string }> | undefined) => tagValue(tags, 'setup-swarm:cluster') === cluster
  return [
    ...fake
      .instances()
      .filter((instance) => ours(instance.Tags) && instance.State !== 'terminated')
      .map((instance) => `instance ${instance.InstanceId} ${instance.State}`),
    ...fake
      .volumes()
      .filter((volume) => !volume.deletedAt && ours(volume.Tags))
      .map((volume) => `volume ${volume.VolumeId}`),
    ...fake
      .keyPairs()
      .filter((pair) => !pair.deletedAt && pair.KeyName === securityGroupName({ cluster, repository: TEST_REPOSITORY }))
      .map((pair) => `key pair ${pair.KeyName}`),
    ...fake
      .securityGroups()
      .filter((group) => !group.deletedAt && ours(group.Tags))
      .map((group) => `group ${group.GroupName}`)
  ]
}

const callsOf = (action: string, since = 0) => fake.calls.slice(since).filter((call) => call.action === action && !call.error)

describe('driver aws', () => {
  it('forms 1 + 2 on the private addresses from instances it launched, verified by their console host keys; post leaves nothing', async () => {
    const cluster = 'aws-e2e'
    const before = fake.calls.length
    const { job, run } = awsJob()
    const main = await run('main', { inputs: inputs(cluster) })
    if (main.code !== 0) throw new Error(main.stdout)

    // One launch per role, tagged at creation, IMDSv2 with one hop, an encrypted root volume, no secret in the user data.
    const launches = callsOf('RunInstances', before)
    expect(launches.map((call) => [call.params.MinCount, call.params.MaxCount])).toEqual([
      ['1', '1'],
      ['2', '2']
    ])
    for (const { params } of launches) {
      expect(params).toMatchObject({
        'MetadataOptions.HttpTokens': 'required',
        'MetadataOptions.HttpPutResponseHopLimit': '1',
        'BlockDeviceMapping.1.Ebs.Encrypted': 'true',
        'TagSpecification.1.ResourceType': 'instance',
        'TagSpecification.2.ResourceType': 'volume'
      })
      const userData = Buffer.from(params.UserData, 'base64').toString('utf8')
      expect(userData).toBe(readFileSync('src/drivers/aws/user-data.sh', 'utf8'))
    }
    // The swarm: every node Ready, each advertising its private address, the runner on the public ones.
    const nodes = JSON.parse(main.outputs.nodes) as Array<{ name: string; ip: string; advertiseIp: string }>
    expect(nodes.map((node) => node.name)).toEqual([`${cluster}-manager-1`, `${cluster}-worker-1`, `${cluster}-worker-2`])
    expect(nodes.filter((node) => node.ip === node.advertiseIp)).toEqual([])
    const engine = new Engine(main.env.DOCKER_HOST, await readClientTls(clientCertDir(main.env.DOCKER_CERT_PATH)))
    try {
      const members = await engine.nodes()
      expect(members.map((member) => member.Status.State)).toEqual(['ready', 'ready', 'ready'])
      expect(members.map((member) => member.Status.Addr).sort()).toEqual(nodes.map((node) => node.advertiseIp).sort())
    } finally {
      engine.close()
    }
    // Each instance is named after its node; the console showed its keys; the summary gives each node's phases.
    expect(
      fake
        .instances()
        .filter((instance) => tagValue(instance.Tags as never, 'setup-swarm:cluster') === cluster)
        .map((i) => tagValue(i.Tags as never, 'Name'))
        .sort()
    ).toEqual(nodes.map((node) => node.name).sort())
    expect(callsOf('GetConsoleOutput', before).every((call) => call.params.Latest === 'true')).toBe(true)
    expect(main.summary).toMatch(/Nodes of driver aws[\s\S]*host keys[\s\S]*engine answers/)
    // No credential nor the nodes' keys in the log, and no node's key reached its console or its user-data log.
    const serverKeys = hosts.hosts.map((host) => hosts.file(host, '/etc/docker/tls/server-key.pem')).map((file) => readFileSync(file, 'utf8'))
    expect(serverKeys.every((key) => key.includes('PRIVATE KEY'))).toBe(true)
    for (const secret of [...SECRETS, ...serverKeys.map((key) => key.split('\n')[1])]) {
      expect(main.stdout + main.stderr).not.toContain(secret)
      for (const host of hosts.hosts)
        expect(hosts.console(host) + readFileSync(hosts.file(host, '/var/log/cloud-init-output.log'), 'utf8')).not.toContain(secret)
    }

    const post = await run('post', { state: main.state })
    expect(post.stdout).not.toContain('::warning::')
    expect(post.code).toBe(0)
    await fake.settled()
    expect(liveResources(cluster)).toEqual([])
    expect(readdirSync(job.runnerTemp)).toEqual([])
  }, 300_000)

  it('refuses an unknown option by name before anything is created', async () => {
    const before = fake.calls.length
    const { run } = awsJob()
    const main = await run('main', { inputs: inputs('aws-bad', { 'worker-opts': '--amazonec2-instance-type t3.small' }) })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('::error::input `driver-opts`/`worker-opts`/`nodes`: unknown option "--amazonec2-instance-type" of driver `aws`')
    expect(fake.calls.slice(before)).toEqual([])
  })

  it.each([
    ['during RunInstances', () => callsOf('RunInstances').length > launchedBefore],
    ['while the nodes are provisioned', () => callsOf('GetConsoleOutput').length > consoleReadsBefore]
  ])(
    'a cancel %s: post removes every instance, volume, key pair and group',
    async (_when, cancelled) => {
      const cluster = `aws-cancel-${++cancels}`
      launchedBefore = callsOf('RunInstances').length
      consoleReadsBefore = callsOf('GetConsoleOutput').length
      const { run } = awsJob()
      const main = await run('main', { inputs: inputs(cluster), interrupt: { when: cancelled } })
      expect(main.code).toBe(1)
      expect(main.stdout).toContain('::warning::setup-swarm was cancelled (SIGINT); the post step removes whatever was created')
      const post = await run('post', { state: main.state })
      expect(post.stdout).not.toContain('::warning::')
      expect(post.code).toBe(0)
      await fake.settled()
      expect(liveResources(cluster)).toEqual([])
    },
    300_000
  )
})

describe('driver aws, a kept cluster', () => {
  it('is found again by a later job (no new instance), and destroyed by its name from another job with no state', async () => {
    const cluster = 'aws-kept'
    // The user's own CA, as a kept cluster needs: later jobs on other runners reach it only with it.
    const dir = mkdtempSync(path.join(TEST_TMP, 'aws-ca-'))
    const tls = await prepareRunTls(path.join(dir, 'client'), path.join(dir, 'ca'), undefined)
    for (const file of [dir, ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((entry) => path.join(dir, entry))])
      chownSync(file, runnerUser()!.uid, runnerUser()!.gid)
    const kept = inputs(cluster, { workers: '1', cleanup: 'false', ...tlsInputs(tls) })
    const before = fake.calls.length
    const first = awsJob()
    const main = await first.run('main', { inputs: kept })
    if (main.code !== 0) throw new Error(main.stdout)
    const post = await first.run('post', { state: main.state })
    expect(post.stdout).toContain(`cleanup is false: kept swarm ${cluster} (driver aws)`)
    expect(liveResources(cluster).filter((line) => line.startsWith('instance'))).toHaveLength(2)

    const second = awsJob()
    const again = await second.run('main', { inputs: kept })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`reusing kept swarm ${cluster}`)
    expect(callsOf('RunInstances', before)).toHaveLength(2)
    expect((await second.run('post', { state: again.state })).code).toBe(0)

    const destroy = await new Job().run('main', {
      action: 'destroy',
      inputs: { name: cluster, driver: 'aws' },
      env: { ...credentialEnv(CREDENTIALS), AWS_REGION: REGION, AWS_ENDPOINT_URL_EC2: fake.url, AWS_EC2_METADATA_DISABLED: 'true' }
    })
    expect(destroy.stdout).not.toContain('::warning::')
    expect(destroy.code).toBe(0)
    await fake.settled()
    expect(liveResources(cluster)).toEqual([])
    rmSync(dir, { recursive: true, force: true })
  }, 300_000)
})

let cancels = 0
let launchedBefore = 0
let consoleReadsBefore = 0
