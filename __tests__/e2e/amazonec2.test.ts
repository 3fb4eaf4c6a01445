import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CreateSecurityGroupCommand, EC2Client, ImportKeyPairCommand, RunInstancesCommand, type Tag } from '@aws-sdk/client-ec2'
import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import path from 'node:path'
import { localDriver } from '../../src/drivers/local/index.js'
import type { LocalState } from '../../src/drivers/local/names.js'
import type { EngineNode } from '../../src/engine/node.js'
import { securityGroupName } from '../../src/drivers/ec2/security-group.js'
import type { ClusterState } from '../../src/state/cluster.js'
import { type RunTls } from '../../src/engine/tls.js'
import { startFakeEc2, tagValue, type FakeCredentials, type FakeEc2, type FakeInstance, type FakeSecurityGroup } from '../fixtures/fake-ec2.js'
import { startReleaseServer } from '../fixtures/release-server.js'
import { askOverOverlay, docker, importTestImage, runningTasks, TEST_IMAGE, waitFor } from '../harness/docker.js'
import { Job, TEST_TMP, type StepOptions, type StepResult } from '../harness/action.js'
import { credentialEnv, ec2StepEnv } from '../harness/ec2.js'
import { removeTestClusters } from '../harness/host.js'
import { MACHINE_VERSION, STAND_IN, standInInputs, startTestHosts } from '../harness/hosts.js'
import { runnerUser } from '../harness/runner-user.js'

// driver amazonec2 end to end, with no AWS account: dist/ run as the runner runs it, the stand-in
// docker-machine (its amazonec2 driver, in API mode) and a fake EC2 endpoint on 127.0.0.1 that the
// action and docker-machine both call, reached through AWS_ENDPOINT_URL_EC2. Behind each "instance" is
// a real engine with two addresses, as on EC2: a public one, which the runner reaches, and a private
// one in another subnet of the same bridge, which only the other nodes reach (the runner has no route
// to it, and the nodes drop each other's public traffic, as a security group whose swarm rules name
// the group itself does). The swarm must form, and carry overlay traffic, on the private addresses.

const REGION = 'eu-west-1'
const REPOSITORY = 'octo-org/ec2-app'
/** The cluster's security group's and key pair's name, as the action gives it. */
const groupName = (cluster: string, repository = REPOSITORY) => securityGroupName({ cluster, repository })
/** The instances' private subnet: on the hosts' bridge, unreachable from the runner. */
const PRIVATE_SUBNET = '10.213.77'
const privateIp = (host: number) => `${PRIVATE_SUBNET}.${11 + host}`
const ALLOWED_CIDRS = ['198.51.100.7/32', '2001:db8:5::/48']
/** The newest available Ubuntu 24.04 amd64 image of Canonical in the fake's catalogue. */
const EXPECTED_AMI = 'ami-0noble0amd64new'

/** Short-lived credentials as aws-actions/configure-aws-credentials exports them after OpenID Connect. */
const MAIN_CREDENTIALS: FakeCredentials = {
  accessKeyId: 'ASIAE2EMAINKEY000001',
  secretAccessKey: 'e2e/Main+Secret+Access+Key/0123456789abcd',
  sessionToken: 'IQoJb3JpZ2luX2VjEe2eMainSessionToken/0123456789+abcdefghijklmnopqrstuvwxyz=='
}
/** Another main's, which expire (a test of their own: the fake refuses an expired key from then on). */
const EXPIRING_CREDENTIALS: FakeCredentials = {
  accessKeyId: 'ASIAE2EEXPIRINGKEY03',
  secretAccessKey: 'e2e/Expiring+Secret+Access+Key/5555555555',
  sessionToken: 'IQoJb3JpZ2luX2VjEe2eExpiringSessionToken/5555555555+abcdefghijklmnopqrstuvwxyz=='
}
/** What a later step would get from configure-aws-credentials once those have expired. */
const NEWER_CREDENTIALS: FakeCredentials = {
  accessKeyId: 'ASIAE2ENEWERKEY00002',
  secretAccessKey: 'e2e/Newer+Secret+Access+Key/9876543210dcba',
  sessionToken: 'IQoJb3JpZ2luX2VjEe2eNewerSessionToken/9876543210+zyxwvutsrqponmlkjihgfedcba=='
}
const SECRET_VALUES = [MAIN_CREDENTIALS, EXPIRING_CREDENTIALS, NEWER_CREDENTIALS].flatMap((c) => [c.accessKeyId, c.secretAccessKey, c.sessionToken!])
const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY']

let hosts: EngineNode[]
let hostTls: RunTls
let hostState: ClusterState<LocalState>
let fake: FakeEc2
let release: Awaited<ReturnType<typeof startReleaseServer>>
/** Which host is behind which machine name: tests add their machines before they run. */
const machineHosts: Record<string, { publicIp: string; privateIp: string }> = {}
const toolCache = mkdtempSync(path.join(TEST_TMP, 'tool-cache-'))
// Shared by the jobs of this file, as a runner's tool cache is by its jobs.
chownSync(toolCache, runnerUser()!.uid, runnerUser()!.gid)

const sh = (file: string, args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 })

/** A terminated instance's engine is gone: the host leaves whatever swarm it was in, to serve the next test. */
async function resetHost(host: EngineNode): Promise<void> {
  const env = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: hostTls.client.dir, DOCKER_HOST: host.dockerHost }
  await docker(env, ['swarm', 'leave', '--force']).catch((error: Error) => {
    if (!/not part of a swarm/.test(error.message)) throw error
  })
}

beforeAll(async () => {
  // Three plain engines (no swarm), each as one instance: TLS from a CA the test owns, passed as tls-* inputs
  // (docker-machine would provision the instance with the action's CA; the stand-in provisions nothing).
  ;({ hosts, tls: hostTls, state: hostState } = await startTestHosts('ec2-hosts'))
  // The second, private address of each instance; the runner has no route to that subnet (nothing leaves this machine).
  sh('ip', ['route', 'replace', 'unreachable', `${PRIVATE_SUBNET}.0/24`])
  hostState.driverState!.netns.forEach((netns, i) => {
    sh('ip', ['-n', netns, 'addr', 'add', `${privateIp(i)}/24`, 'dev', 'eth0'])
    // Nodes do not reach each other's public address: EC2 would route it out and back in, where only 22 and 2376 are open.
    for (const other of hosts.filter((_, j) => j !== i)) sh('ip', ['netns', 'exec', netns, 'iptables', '-I', 'INPUT', '-s', other.ip, '-j', 'DROP'])
  })
  await importTestImage(
    { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: hostTls.client.dir },
    hosts.map((host) => host.dockerHost)
  )
  release = await startReleaseServer({ version: MACHINE_VERSION, binaryPath: STAND_IN, checksumStyle: 'gitlab' })
  fake = await startFakeEc2({
    region: REGION,
    credentials: [MAIN_CREDENTIALS, EXPIRING_CREDENTIALS, NEWER_CREDENTIALS],
    hosts: machineHosts,
    shutdownMs: 1500,
    // EC2 keeps refusing to delete a group for a moment after its last instance shows terminated.
    releaseMs: 4000,
    onTerminated: async (instance) => {
      const host = hosts.find((candidate) => candidate.ip === instance.PublicIpAddress)
      if (host) await resetHost(host)
    }
  })
})

afterAll(async () => {
  await fake?.close()
  await release?.close()
  if (hostState) await localDriver.remove(hostState)
  spawnSync('ip', ['route', 'del', 'unreachable', `${PRIVATE_SUBNET}.0/24`])
  removeTestClusters()
})

interface MachineCall {
  argv: string[]
  env: Record<string, string | null>
  awsEnv: string[]
  exitCode: number | null
}

const machineCalls = (log: string): MachineCall[] =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as MachineCall)
    : []

/** Machines of a cluster, each on a host (by index): the test's FAKE_MACHINE_EC2_HOSTS. */
function placeMachines(names: string[], onHosts: number[]): Record<string, { publicIp: string; privateIp: string }> {
  const placed = Object.fromEntries(names.map((name, i) => [name, { publicIp: hosts[onHosts[i]].ip, privateIp: privateIp(onHosts[i]) }]))
  Object.assign(machineHosts, placed)
  return placed
}

/**
 * A job whose steps see what a workflow would give them: OpenID Connect credentials, a region, the
 * repository. Its hosts start in no swarm, whatever the test before left (a terminated instance's engine is gone).
 */
async function ec2Job(placed: Record<string, unknown>, env: Record<string, string> = {}) {
  await Promise.all(hosts.map(resetHost))
  const job = new Job()
  const log = path.join(job.dir, 'machine.log')
  const stepEnv = {
    ...ec2StepEnv({ fake, credentials: MAIN_CREDENTIALS, region: REGION, repository: REPOSITORY, toolCache, machineLog: log, placed }),
    ...env
  }
  const run = (step: 'main' | 'post', options: StepOptions = {}) => job.run(step, { ...options, env: { ...stepEnv, ...options.env } })
  return { job, log, run, env: stepEnv }
}

function ec2Inputs(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    driver: 'amazonec2',
    name,
    ...standInInputs(release.url, hostTls),
    'allowed-cidrs': ALLOWED_CIDRS.join('\n'),
    ...extra
  }
}

/** The cluster's resources at the fake EC2, found by their cluster tag (and, for instances, by the cluster's key pair). */
function resourcesOf(cluster: string) {
  const ofCluster = (tags: Tag[] | undefined) => tagValue(tags as never, 'setup-swarm:cluster') === cluster
  const keyName = groupName(cluster)
  return {
    instances: fake.instances().filter((instance) => ofCluster(instance.Tags) || instance.KeyName === keyName),
    liveInstances: fake
      .instances()
      .filter((instance) => (ofCluster(instance.Tags) || instance.KeyName === keyName) && instance.State !== 'terminated'),
    groups: fake.securityGroups().filter((group) => ofCluster(group.Tags) || group.GroupName === keyName),
    liveGroups: fake.securityGroups().filter((group) => (ofCluster(group.Tags) || group.GroupName === keyName) && !group.deletedAt),
    keyPairs: fake.keyPairs().filter((pair) => ofCluster(pair.Tags) || pair.KeyName === keyName),
    liveKeyPairs: fake.keyPairs().filter((pair) => (ofCluster(pair.Tags) || pair.KeyName === keyName) && !pair.deletedAt)
  }
}

/** A group's ingress, one line per rule, as a reviewer would read it. */
const ruleLines = (group: FakeSecurityGroup) =>
  group.IpPermissions.flatMap((permission) => [
    ...[...permission.IpRanges.map((range) => range.CidrIp), ...permission.Ipv6Ranges.map((range) => range.CidrIpv6)].map(
      (cidr) => `${permission.IpProtocol}/${permission.FromPort} from ${cidr}`
    ),
    ...permission.UserIdGroupPairs.map(
      (pair) => `${permission.IpProtocol}/${permission.FromPort} from ${pair.GroupId === group.GroupId ? 'the group itself' : pair.GroupId}`
    )
  ]).sort()

/** Every file under `dir` that holds one of the credentials' values. */
function filesHoldingSecrets(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(dir, file))
    .filter((file) => statSync(file).isFile())
    .filter((file) => {
      const text = readFileSync(file, 'latin1')
      return SECRET_VALUES.some((secret) => text.includes(secret))
    })
}

const showing = (text: string) => SECRET_VALUES.filter((secret) => text.includes(secret))
const callsSince = (start: number) => fake.calls.slice(start)
const byDockerMachine = (userAgent: string) => userAgent.startsWith('aws-sdk-go/')

async function expectAllRemoved(cluster: string): Promise<void> {
  const left = resourcesOf(cluster)
  expect(left.instances.length).toBeGreaterThan(0)
  expect(left.liveInstances.map((instance) => `${instance.InstanceId} ${instance.State}`)).toEqual([])
  expect(left.liveKeyPairs.map((pair) => pair.KeyName)).toEqual([])
  expect(left.liveGroups.map((group) => group.GroupName)).toEqual([])
  // EC2 would not delete a group an instance still uses: each group went after the last of its instances.
  for (const group of left.groups) {
    const terminated = left.instances.filter((instance) => instance.SecurityGroupIds.includes(group.GroupId)).map(terminatedAt)
    expect(group.deletedAt).toBeGreaterThanOrEqual(Math.max(0, ...terminated))
  }
  await Promise.resolve()
}

const terminatedAt = (instance: FakeInstance) => instance.history.find((entry) => entry.state === 'terminated')?.at ?? Infinity

describe('amazonec2: a 1 + 2 swarm on instances with a public and a private address, then post', () => {
  const cluster = 'ec2-main'
  const names = [`${cluster}-manager-1`, `${cluster}-worker-1`, `${cluster}-worker-2`]
  let ec2: Awaited<ReturnType<typeof ec2Job>>
  let main: StepResult
  let started: Date
  let callsBefore: number

  beforeAll(async () => {
    ec2 = await ec2Job(placeMachines(names, [0, 1, 2]))
    // Someone's own key pair, as plain docker-machine names it after a machine: not this cluster's.
    const client = new EC2Client({ region: REGION, endpoint: fake.url, credentials: MAIN_CREDENTIALS, maxAttempts: 1 })
    await client.send(
      new ImportKeyPairCommand({ KeyName: names[1], PublicKeyMaterial: new TextEncoder().encode('ssh-rsa AAAAB3NzaC1yc2E= someone') })
    )
    client.destroy()
    callsBefore = fake.calls.length
    started = new Date()
    main = await ec2.run('main', {
      inputs: ec2Inputs(cluster, {
        managers: '1',
        workers: '2',
        'driver-opts': '--amazonec2-instance-type t3.small',
        'published-ports': '8080\n9443'
      })
    })
  })

  it('succeeds, creating one security group first with exactly the rules the issue asks for', () => {
    expect(main.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(main.code).toBe(0)
    const { groups } = resourcesOf(cluster)
    expect(groups.map((group) => [group.GroupName, group.VpcId])).toEqual([[groupName(cluster), fake.vpcId]])
    expect(ruleLines(groups[0])).toEqual(
      [
        ...['tcp/22', 'tcp/2376', 'tcp/8080', 'tcp/9443'].flatMap((port) => ALLOWED_CIDRS.map((cidr) => `${port} from ${cidr}`)),
        ...['tcp/2377', 'tcp/7946', 'udp/7946', 'udp/4789'].map((port) => `${port} from the group itself`)
      ].sort()
    )
    // The group exists, with its rules, before docker-machine looks it up for the first instance.
    const calls = callsSince(callsBefore)
    const firstByMachine = calls.findIndex((call) => byDockerMachine(call.userAgent))
    const authorized = calls.findIndex((call) => call.action === 'AuthorizeSecurityGroupIngress' && !call.error)
    expect(authorized).toBeGreaterThanOrEqual(0)
    expect(authorized).toBeLessThan(firstByMachine)
  })

  it('passes every create the flags the action owns, in this order, and no credential', () => {
    const creates = machineCalls(ec2.log).filter((call) => call.argv.includes('create'))
    expect(creates.map((call) => call.argv.at(-1)).sort()).toEqual(names)
    const keyPath = path.join(ec2.job.runnerTemp, 'setup-swarm', cluster, 'ssh', 'id_rsa')
    for (const call of creates) {
      const argv = call.argv
      const tags = argv[argv.indexOf('--amazonec2-tags') + 1]
      expect(argv).toEqual([
        ...['--tls-ca-cert', hostTls.files.caCert, '--tls-ca-key', hostTls.files.caKey],
        ...['--tls-client-cert', hostTls.files.clientCert, '--tls-client-key', hostTls.files.clientKey],
        ...['create', '-d', 'amazonec2', '--amazonec2-instance-type', 't3.small'],
        ...['--amazonec2-region', REGION, '--amazonec2-vpc-id', fake.vpcId],
        ...['--amazonec2-security-group', groupName(cluster), '--amazonec2-security-group-readonly'],
        ...['--amazonec2-keypair-name', groupName(cluster), '--amazonec2-ssh-keypath', keyPath],
        ...['--amazonec2-tags', tags, '--amazonec2-ami', EXPECTED_AMI],
        ...['--amazonec2-endpoint', fake.url, '--amazonec2-zone', `${REGION}a`],
        argv.at(-1)
      ])
      const [, expires] =
        /^setup-swarm:cluster,ec2-main,setup-swarm:repository,octo-org\/ec2-app,setup-swarm:run,4242-1,setup-swarm:expires,(\S+)$/.exec(tags) ?? []
      // The default ttl of a removed cluster: 6 h from when main ran, to the second.
      const sixHours = 6 * 3600_000
      expect(Date.parse(expires)).toBeGreaterThanOrEqual(Math.floor((started.getTime() + sixHours) / 1000) * 1000)
      expect(Date.parse(expires)).toBeLessThanOrEqual(Date.now() + sixHours)
      expect(showing(argv.join(' '))).toEqual([])
    }
  })

  it("resolves the AMI from Canonical's images through DescribeImages", () => {
    const lookups = callsSince(callsBefore).filter((call) => call.action === 'DescribeImages')
    expect(lookups).toHaveLength(1)
    expect(lookups[0].params).toMatchObject({
      'Owner.1': '099720109477',
      'Filter.1.Name': 'name',
      'Filter.1.Value.1': 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*',
      'Filter.2.Name': 'architecture',
      'Filter.2.Value.1': 'x86_64'
    })
  })

  it('docker-machine launched each instance through the endpoint, signed with the credentials from a file, with the key pair, group, AMI and tags', () => {
    const { instances, keyPairs, groups } = resourcesOf(cluster)
    expect(instances.map((instance) => tagValue(instance.Tags, 'Name')).sort()).toEqual(names)
    for (const instance of instances) {
      expect(instance).toMatchObject({
        ImageId: EXPECTED_AMI,
        InstanceType: 't3.small',
        KeyName: groupName(cluster),
        SecurityGroupIds: [groups[0].GroupId],
        VpcId: fake.vpcId,
        AvailabilityZone: `${REGION}a`
      })
      expect(Object.fromEntries(instance.Tags.filter((tag) => tag.Key.startsWith('setup-swarm:')).map((tag) => [tag.Key, tag.Value]))).toEqual({
        'setup-swarm:cluster': cluster,
        'setup-swarm:repository': REPOSITORY,
        'setup-swarm:run': '4242-1',
        'setup-swarm:expires': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      })
    }
    // One key pair and one group: the action's, tagged; docker-machine made neither.
    expect(keyPairs.map((pair) => [pair.KeyName, tagValue(pair.Tags, 'setup-swarm:cluster')])).toEqual([[groupName(cluster), cluster]])
    expect(fake.securityGroups().filter((group) => group.Description === 'Docker Machine')).toEqual([])
    const machine = callsSince(callsBefore).filter((call) => byDockerMachine(call.userAgent))
    expect(machine.filter((call) => call.action === 'RunInstances' && !call.error)).toHaveLength(3)
    // Signature V4 checked by the fake: docker-machine had the secret and token, from the shared credentials file.
    expect(new Set(machine.map((call) => `${call.accessKeyId} ${call.region} ${call.error ?? 'ok'}`))).toEqual(
      new Set([`${MAIN_CREDENTIALS.accessKeyId} ${REGION} ok`])
    )
    const creates = machineCalls(ec2.log).filter((call) => call.argv.includes('create'))
    for (const call of creates) expect(call.awsEnv).toEqual(expect.arrayContaining(['AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE']))
  })

  it("keeps every credential out of docker-machine's environment and records, the step's log and the files", () => {
    for (const call of machineCalls(ec2.log)) expect(call.awsEnv.filter((name) => CREDENTIAL_VARIABLES.includes(name))).toEqual([])
    const machines = path.join(ec2.job.runnerTemp, 'setup-swarm', cluster, 'machine', 'machines')
    for (const name of names) {
      const record = JSON.parse(readFileSync(path.join(machines, name, 'config.json'), 'utf8')) as { Driver: Record<string, unknown> }
      expect(record.Driver).toMatchObject({ AccessKey: '', SecretKey: '', SessionToken: '', KeyName: groupName(cluster), ExistingKey: true })
    }
    expect(showing(main.stdout + main.stderr)).toEqual([])
    // The credentials file docker-machine read is gone once the machines exist.
    expect(existsSync(path.join(ec2.job.runnerTemp, 'setup-swarm', cluster, 'aws'))).toBe(false)
    expect(filesHoldingSecrets(ec2.job.dir)).toEqual([])
  })

  it('forms the swarm on the private addresses, which the runner cannot reach; outputs as the README says', async () => {
    const nodes = JSON.parse(main.outputs.nodes) as Array<{
      name: string
      role: string
      ip: string
      advertiseIp: string
      dockerHost: string
      id: string
    }>
    expect(nodes.map(({ name, role, ip, advertiseIp, dockerHost }) => ({ name, role, ip, advertiseIp, dockerHost }))).toEqual(
      names.map((name, i) => ({
        name,
        role: i ? 'worker' : 'manager',
        ip: hosts[i].ip,
        advertiseIp: privateIp(i),
        dockerHost: `tcp://${hosts[i].ip}:2376`
      }))
    )
    expect(main.outputs['manager-ip']).toBe(hosts[0].ip)
    expect(main.outputs['docker-host']).toBe(`tcp://${hosts[0].ip}:2376`)
    expect(main.outputs['manager-address']).toBe(`${privateIp(0)}:2377`)
    expect(main.env.DOCKER_HOST).toBe(`tcp://${hosts[0].ip}:2376`)
    for (const [i, node] of nodes.entries()) {
      const inspected = JSON.parse(await docker(main.env, ['node', 'inspect', node.id, '--format', '{{json .}}'])) as {
        Status: { State: string; Addr: string }
        ManagerStatus?: { Addr: string; Leader: boolean }
      }
      expect(inspected.Status).toMatchObject({ State: 'ready', Addr: privateIp(i) })
      if (i === 0) expect(inspected.ManagerStatus).toMatchObject({ Addr: `${privateIp(0)}:2377`, Leader: true })
      else expect(inspected.ManagerStatus).toBeUndefined()
    }
    const unreachable = await new Promise<string>((resolve) => {
      const socket = connect({ host: privateIp(0), port: 2376, timeout: 3000 })
      socket.on('connect', () => (socket.destroy(), resolve('connected')))
      socket.on('timeout', () => (socket.destroy(), resolve('timeout')))
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    })
    expect(unreachable).toBe('EHOSTUNREACH')
  })

  it("runs a service whose tasks on two nodes talk over an overlay network (the nodes reach only each other's private address)", async () => {
    await docker(main.env, ['network', 'create', '--driver', 'overlay', 'ec2-overlay'])
    // No IPVS on this kernel: DNS round robin instead of a virtual IP.
    await docker(main.env, [
      ...['service', 'create', '--detach', '--name', 'ec2-web', '--replicas', '2', '--replicas-max-per-node', '1'],
      ...['--constraint', 'node.role==worker', '--network', 'ec2-overlay', '--endpoint-mode', 'dnsrr', '--no-resolve-image', TEST_IMAGE],
      ...['sh', '-c', 'hostname > /www/index.html && exec httpd -f -p 80 -h /www']
    ])
    const nodes = JSON.parse(main.outputs.nodes) as Array<{ id: string; dockerHost: string }>
    const described = await runningTasks(main.env, 'ec2-web', 'ec2-overlay', 2)
    expect(new Set(described.map((task) => task.nodeId)).size).toBe(2)
    for (const [from, to] of [
      [0, 1],
      [1, 0]
    ]) {
      const answer = await askOverOverlay(main.env, nodes, described[from], described[to])
      expect(answer).toMatch(/^HTTP\/1\.[01] 200 OK/)
      expect(answer.split('\n').pop()).toBe(described[to].container.slice(0, 12))
    }
  })

  it('post removes everything through the EC2 API (instances terminated, then the key pair and the group) and leaves no file', async () => {
    const before = fake.calls.length
    const post = await ec2.run('post', { state: main.state })
    expect(post.stdout).not.toContain('::warning::')
    expect(post.code).toBe(0)
    expect(post.stdout).toMatch(/removed swarm ec2-main in [\d.]+ s/)
    await expectAllRemoved(cluster)
    const calls = callsSince(before)
    // EC2 answered in pages of two (fewer than MaxResults, as it may): the instances were found on both.
    expect(calls.some((call) => call.action === 'DescribeInstances' && call.params.NextToken)).toBe(true)
    const terminate = calls.filter((call) => call.action === 'TerminateInstances' && !call.error)
    expect(terminate.flatMap((call) => Object.values(call.params)).sort()).toEqual(
      resourcesOf(cluster)
        .instances.map((i) => i.InstanceId)
        .sort()
    )
    const deletions = calls.filter((call) => call.action === 'DeleteSecurityGroup').map((call) => call.error ?? 'ok')
    // Refused while the terminated instances still held it, retried until it went.
    expect(deletions.at(-1)).toBe('ok')
    expect(deletions.slice(0, -1)).toEqual(expect.arrayContaining(['DependencyViolation']))
    expect(new Set(deletions.slice(0, -1))).toEqual(new Set(['DependencyViolation']))
    // The key pair goes once the instances listed with the cluster are terminated (the look into the
    // group while it is still held, for an instance listed late, comes after).
    const order = calls.filter((call) => !call.error && call.params['Filter.1.Name'] !== 'instance.group-id').map((call) => call.action)
    expect(order.indexOf('DeleteKeyPair')).toBeGreaterThan(order.lastIndexOf('DescribeInstances'))
    expect(order.indexOf('DeleteSecurityGroup')).toBeGreaterThan(order.indexOf('DeleteKeyPair'))
    // Only the cluster's own key pair: one named like a machine is someone else's (the action never makes one).
    expect(calls.filter((call) => call.action === 'DeleteKeyPair').map((call) => call.params.KeyName)).toEqual([groupName(cluster)])
    expect(fake.keyPairs().filter((pair) => pair.KeyName === names[1] && !pair.deletedAt)).toHaveLength(1)
    // Through the API only: post never runs docker-machine for amazonec2.
    expect(machineCalls(ec2.log).filter((call) => call.argv.includes('rm'))).toEqual([])
    expect(showing(post.stdout + post.stderr)).toEqual([])
    expect(readdirSync(ec2.job.runnerTemp)).toEqual([])
    expect(filesHoldingSecrets(ec2.job.dir)).toEqual([])
  })
})

describe('amazonec2: failures, a cancel, newer credentials', () => {
  it('a create that fails halfway: main fails naming it, post terminates the instances that exist and removes the key pair and group', async () => {
    const cluster = 'ec2-fail'
    const names = [`${cluster}-manager-1`, `${cluster}-worker-1`, `${cluster}-worker-2`]
    const ec2 = await ec2Job(placeMachines(names, [0, 1, 2]), { FAKE_MACHINE_FAIL_CREATE: `${cluster}-worker-2` })
    const main = await ec2.run('main', { inputs: ec2Inputs(cluster, { managers: '1', workers: '2', retries: '0' }) })
    expect(main.code).toBe(1)
    expect(main.stdout).toMatch(/::error::docker-machine create ec2-fail-worker-2 failed: .*injected failure for ec2-fail-worker-2/)
    expect(
      resourcesOf(cluster)
        .liveInstances.map((instance) => tagValue(instance.Tags, 'Name'))
        .sort()
    ).toEqual(names.slice(0, 2))
    const post = await ec2.run('post', { state: main.state })
    expect(post.stdout).not.toContain('::warning::')
    expect(post.code).toBe(0)
    await expectAllRemoved(cluster)
    expect(readdirSync(ec2.job.runnerTemp)).toEqual([])
  })

  it('a cancel while upstream docker-machine waits for its instances (not yet tagged): post finds them by their key pair and removes everything', async () => {
    const cluster = 'ec2-cancel'
    const names = [`${cluster}-manager-1`, `${cluster}-worker-1`, `${cluster}-worker-2`]
    const upstream = await startReleaseServer({ version: 'v0.16.2', binaryPath: STAND_IN, checksumStyle: 'upstream' })
    try {
      const ec2 = await ec2Job(placeMachines(names, [0, 1, 2]), { FAKE_MACHINE_GITLAB: '', FAKE_MACHINE_EC2_BOOT_MS: '120000' })
      const launched = () =>
        fake.calls.filter((call) => call.action === 'RunInstances' && !call.error && call.params.KeyName === groupName(cluster)).length
      const main = await ec2.run('main', {
        inputs: ec2Inputs(cluster, { managers: '1', workers: '2', 'machine-version': 'v0.16.2', 'machine-url': upstream.url }),
        interrupt: { when: () => launched() === 3 }
      })
      expect(main.code).toBe(1)
      expect(main.stdout).toContain('::warning::setup-swarm was cancelled (SIGINT); the post step removes whatever was created')
      // Upstream tags an instance only once it runs: these carry no tag at all, only the cluster's key pair.
      const live = resourcesOf(cluster).liveInstances
      expect(live.map((instance) => [instance.Tags, instance.KeyName])).toEqual(names.map(() => [[], groupName(cluster)]))
      // docker-machine was killed with the step, and so was the credentials file it read.
      expect(machineCalls(ec2.log).filter((call) => call.argv.includes('create') && call.exitCode !== null)).toEqual([])
      expect(filesHoldingSecrets(ec2.job.dir)).toEqual([])
      const post = await ec2.run('post', { state: main.state })
      expect(post.stdout).not.toContain('::warning::')
      expect(post.code).toBe(0)
      await expectAllRemoved(cluster)
      expect(readdirSync(ec2.job.runnerTemp)).toEqual([])
    } finally {
      await upstream.close()
    }
  })

  it("post with credentials newer than main's (main's have expired) removes everything with the newer ones", async () => {
    const cluster = 'ec2-renew'
    const names = [`${cluster}-manager-1`, `${cluster}-worker-1`]
    const ec2 = await ec2Job(placeMachines(names, [0, 1]), credentialEnv(EXPIRING_CREDENTIALS))
    const main = await ec2.run('main', { inputs: ec2Inputs(cluster, { managers: '1', workers: '1' }) })
    expect(main.code).toBe(0)
    fake.expireCredentials(EXPIRING_CREDENTIALS.accessKeyId)
    const before = fake.calls.length
    const post = await ec2.run('post', { state: main.state, env: credentialEnv(NEWER_CREDENTIALS) })
    expect(post.stdout).not.toContain('::warning::')
    expect(post.code).toBe(0)
    await expectAllRemoved(cluster)
    expect(new Set(callsSince(before).map((call) => call.accessKeyId))).toEqual(new Set([NEWER_CREDENTIALS.accessKeyId]))
    expect(showing(post.stdout + post.stderr)).toEqual([])
    expect(readdirSync(ec2.job.runnerTemp)).toEqual([])
  })
})

/** A cluster made elsewhere (another run, another repository), tagged as the action tags: a group and an instance in it. */
async function seedCluster(cluster: string, repository: string, expires: string): Promise<{ groupId: string; instanceId: string }> {
  const client = new EC2Client({ region: REGION, endpoint: fake.url, credentials: MAIN_CREDENTIALS, maxAttempts: 1 })
  try {
    const tags = (name: string) => [
      { Key: 'Name', Value: name },
      { Key: 'setup-swarm:cluster', Value: cluster },
      { Key: 'setup-swarm:repository', Value: repository },
      { Key: 'setup-swarm:run', Value: '1111-1' },
      { Key: 'setup-swarm:expires', Value: expires }
    ]
    const group = await client.send(
      new CreateSecurityGroupCommand({
        GroupName: groupName(cluster, repository),
        Description: `setup-swarm cluster ${cluster}`,
        VpcId: fake.vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: tags(groupName(cluster, repository)) }]
      })
    )
    const launched = await client.send(
      new RunInstancesCommand({
        ...{ ImageId: EXPECTED_AMI, MinCount: 1, MaxCount: 1, InstanceType: 't3.small', Placement: { AvailabilityZone: `${REGION}b` } },
        NetworkInterfaces: [{ DeviceIndex: 0, Groups: [group.GroupId!], SubnetId: 'subnet-0seeded' }],
        TagSpecifications: [{ ResourceType: 'instance', Tags: tags(`${cluster}-manager-1`) }]
      })
    )
    return { groupId: group.GroupId!, instanceId: launched.Instances![0].InstanceId! }
  } finally {
    client.destroy()
  }
}

describe('amazonec2: bad input, a name in use', () => {
  it.each([
    [
      'no credentials',
      { env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' } },
      /::error::driver `amazonec2` needs AWS credentials in the environment and there are none; add a step before this one: aws-actions\/configure-aws-credentials with `role-to-assume`/
    ],
    [
      'no region',
      { env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' } },
      /::error::no AWS region: set the input `aws-region` \(or AWS_REGION, which aws-actions\/configure-aws-credentials exports from its own `aws-region`\)/
    ],
    [
      'a flag the action owns',
      { inputs: { 'driver-opts': '--amazonec2-security-group my-open-group' } },
      /::error::inputs `driver-opts`\/`\*-opts`\/`nodes`: drop --amazonec2-security-group; the action sets it from the inputs `allowed-cidrs` and `published-ports`/
    ],
    [
      'a credential on the command line',
      { inputs: { 'worker-opts': `--amazonec2-secret-key=${MAIN_CREDENTIALS.secretAccessKey}` } },
      /::error::inputs `driver-opts`\/`\*-opts`\/`nodes`: drop --amazonec2-secret-key; the action sets it from the environment/
    ],
    [
      'a bad allowed-cidrs',
      { inputs: { 'allowed-cidrs': '198.51.100.7/33' } },
      /::error::input `allowed-cidrs`: "198\.51\.100\.7\/33" is not a CIDR such as 203\.0\.113\.7\/32/
    ]
  ])(
    '%s: main fails naming it before any EC2 call or docker-machine, and post has nothing to remove',
    async (_what, given: { env?: Record<string, string>; inputs?: Record<string, string> }, message) => {
      const ec2 = await ec2Job(placeMachines(['ec2-bad-manager-1', 'ec2-bad-worker-1'], [0, 1]), given.env)
      const [callsBefore, downloadsBefore] = [fake.calls.length, release.requests.length]
      const main = await ec2.run('main', { inputs: ec2Inputs('ec2-bad', { workers: '1', ...given.inputs }) })
      expect(main.stdout).toMatch(message)
      expect(main.code).toBe(1)
      expect(callsSince(callsBefore)).toEqual([])
      expect(release.requests.length).toBe(downloadsBefore)
      expect(machineCalls(ec2.log)).toEqual([])
      expect(showing(main.stdout + main.stderr)).toEqual([])
      const post = await ec2.run('post', { state: main.state })
      expect(post.stdout).toContain('setup-swarm created nothing in main: nothing to remove')
      expect(post.code).toBe(0)
      expect(callsSince(callsBefore)).toEqual([])
      expect(readdirSync(ec2.job.runnerTemp)).toEqual([])
    }
  )

  it("a name a kept cluster still uses: main fails naming it, and post leaves that cluster's instance and group alone", async () => {
    const cluster = 'ec2-taken'
    const kept = await seedCluster(cluster, REPOSITORY, '2099-01-01T00:00:00Z')
    const ec2 = await ec2Job(placeMachines([`${cluster}-manager-1`], [0]))
    const main = await ec2.run('main', { inputs: ec2Inputs(cluster, { workers: '0' }) })
    expect(main.stdout).toContain(
      `::error::security group ${groupName(cluster)} already exists in ${fake.vpcId} (${REGION}): a cluster named ${cluster} is running or was not removed; destroy it or choose another name`
    )
    expect(main.code).toBe(1)
    const post = await ec2.run('post', { state: main.state })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toContain('::warning::')
    const left = resourcesOf(cluster)
    expect(left.liveInstances.map((instance) => instance.InstanceId)).toEqual([kept.instanceId])
    expect(left.liveGroups.map((group) => group.GroupId)).toEqual([kept.groupId])
    expect(left.keyPairs).toEqual([])
    expect(readdirSync(ec2.job.runnerTemp)).toEqual([])
  })
})

describe('the destroy and sweep actions', () => {
  /** The environment of a job that runs destroy or sweep: its own credentials, region and repository, no state. */
  const actionEnv = () => ({
    ...credentialEnv(MAIN_CREDENTIALS),
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_EC2: fake.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_REPOSITORY: REPOSITORY
  })

  it('a kept cluster lives `ttl` from the last run that used it; destroy removes it by its name, from another job with no state, through throttling', async () => {
    const cluster = 'ec2-kept'
    const ec2 = await ec2Job(placeMachines([`${cluster}-manager-1`], [0]))
    try {
      const main = await ec2.run('main', { inputs: ec2Inputs(cluster, { workers: '0', cleanup: 'false' }) })
      expect(main.code).toBe(0)
      const post = await ec2.run('post', { state: main.state })
      expect(post.stdout).toContain(`cleanup is false: kept swarm ${cluster} (driver amazonec2)`)
      const [instance] = resourcesOf(cluster).liveInstances
      // A kept cluster lives 7 days unless ttl says otherwise.
      const expiry = (tags: Tag[] | undefined) => Date.parse(tagValue(tags as never, 'setup-swarm:expires')!)
      expect(Math.abs(expiry(instance.Tags) - (Date.now() + 7 * 86400_000))).toBeLessThan(300_000)

      // A later run (a pull request's next push) reuses it: its ttl counts from that run, on every resource.
      const again = await ec2.run('main', { inputs: ec2Inputs(cluster, { workers: '0', cleanup: 'false', ttl: '30d' }) })
      expect(again.stdout).not.toContain('::warning::')
      expect(again.code).toBe(0)
      expect(again.stdout).toContain(`reusing kept swarm ${cluster}`)
      expect(resourcesOf(cluster).liveInstances.map((live) => live.InstanceId)).toEqual([instance.InstanceId])
      const { liveInstances, liveGroups, liveKeyPairs } = resourcesOf(cluster)
      const renewed = [...liveInstances, ...liveGroups, ...liveKeyPairs].map((resource) => expiry(resource.Tags))
      expect(renewed).toHaveLength(3)
      for (const expires of renewed) expect(Math.abs(expires - (Date.now() + 30 * 86400_000))).toBeLessThan(300_000)
      await ec2.run('post', { state: again.state })
      fake.failNext('DescribeInstances', 'RequestLimitExceeded', 2)
      fake.failNext('DeleteSecurityGroup', 'RequestLimitExceeded', 1)
      const other = new Job()
      const destroy = await other.run('main', { action: 'destroy', inputs: { name: cluster }, env: actionEnv() })
      expect(destroy.stdout).not.toContain('::warning::')
      expect(destroy.code).toBe(0)
      expect(destroy.stdout).toContain(`removed instance ${instance.InstanceId} (${cluster}-manager-1) in ${REGION}`)
      expect(destroy.summary).toContain(`<h3>Cluster ${cluster} destroyed</h3>`)
      await expectAllRemoved(cluster)
      expect(showing(destroy.stdout + destroy.stderr)).toEqual([])
      expect(readdirSync(other.runnerTemp)).toEqual([])
    } finally {
      // The kept cluster's files on the first runner: the runner wipes a job's temp when the job ends.
      rmSync(ec2.job.dir, { recursive: true, force: true })
    }
  })

  it('sweep removes the expired clusters of this repository, and neither a fresh one nor another repository’s', async () => {
    const cluster = 'ec2-old'
    const ec2 = await ec2Job(placeMachines([`${cluster}-manager-1`], [1]))
    try {
      const main = await ec2.run('main', { inputs: ec2Inputs(cluster, { workers: '0', cleanup: 'false', ttl: '1s' }) })
      expect(main.code).toBe(0)
      const fresh = await seedCluster('ec2-fresh', REPOSITORY, '2099-01-01T00:00:00Z')
      const foreign = await seedCluster('ec2-foreign', 'someone-else/app', '2020-01-01T00:00:00Z')
      const expires = Date.parse(tagValue(resourcesOf(cluster).instances[0].Tags, 'setup-swarm:expires')!)
      await waitFor(`${cluster} to expire`, () => Promise.resolve(Date.now() > expires + 1000 ? true : undefined), 10_000)
      const sweep = await new Job().run('main', { action: 'sweep', env: actionEnv() })
      expect(sweep.stdout).not.toContain('::warning::')
      expect(sweep.code).toBe(0)
      expect(JSON.parse(sweep.outputs.clusters)).toEqual([cluster])
      await expectAllRemoved(cluster)
      for (const [name, seeded] of [
        ['ec2-fresh', fresh],
        ['ec2-foreign', foreign]
      ] as const) {
        expect(resourcesOf(name).liveInstances.map((instance) => instance.InstanceId)).toEqual([seeded.instanceId])
        expect(resourcesOf(name).liveGroups.map((group) => group.GroupId)).toEqual([seeded.groupId])
      }
    } finally {
      rmSync(ec2.job.dir, { recursive: true, force: true })
    }
  })
})
