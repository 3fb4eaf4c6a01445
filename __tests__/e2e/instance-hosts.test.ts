import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  GetConsoleOutputCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type Instance
} from '@aws-sdk/client-ec2'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import path from 'node:path'
import { Engine } from '../../src/engine/api.js'
import { issueCertificate, prepareRunTls, readClientTls, type RunTls } from '../../src/engine/tls.js'
import { startFakeEc2, type FakeEc2 } from '../fixtures/fake-ec2.js'
import { TEST_TMP } from '../harness/action.js'
import { DEFAULT_USER, startInstanceHosts, type InstanceHost, type InstanceHosts } from '../harness/instance-hosts.js'

// The fake EC2's instances on real hosts, as the native aws driver will use them: launched by
// signed SDK calls, booted as cloud-init boots Ubuntu (the user data once as root, its output in
// /var/log/cloud-init-output.log and on the console, the host keys on the console), reached over SSH
// with host keys taken from the console only, Docker restarted through systemctl with a drop-in
// and a daemon.json, answering with mutual TLS; terminated, the host is wiped; stopped, nothing is left.

const REGION = 'eu-west-1'
const LABEL = 'ihfixture'
const KEYS = {
  accessKeyId: 'ASIAINSTANCEHOSTS001',
  secretAccessKey: 'instance/Hosts+Secret/0123456789',
  sessionToken: 'instance-hosts-session-token'
}
const KEY_NAME = 'setup-swarm-ihfixture@owner/repo'

// The user data: what src/drivers/aws/user-data.sh will do, in small (its engine is already installed here).
const USER_DATA = `#!/bin/bash
set -euo pipefail
echo "user data runs as uid $(id -u) on $(hostname)"
echo "-----BEGIN SSH HOST KEY KEYS-----"
cat /etc/ssh/ssh_host_*key.pub
echo "-----END SSH HOST KEY KEYS-----"
mkdir -p /var/lib/setup-swarm /etc/systemd/system/docker.service.d
echo run >>/var/lib/setup-swarm/runs
command -v dockerd >/dev/null || apt-get install -y docker.io
printf '[Service]\\nExecStart=\\nExecStart=%s\\n' "$(command -v dockerd)" >/etc/systemd/system/docker.service.d/setup-swarm.conf
systemctl daemon-reload
touch /var/lib/setup-swarm/docker-installed
echo "user data done"
`

let hosts: InstanceHosts
let fake: FakeEc2
let client: EC2Client
let dir: string
let tls: RunTls

const sh = (file: string, args: string[], input?: string) =>
  spawnSync(file, args, { encoding: 'utf8', input, timeout: 120_000, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })

beforeAll(async () => {
  dir = mkdtempSync(path.join(TEST_TMP, 'instance-hosts-test-'))
  hosts = await startInstanceHosts(LABEL, 2)
  fake = await startFakeEc2({
    region: REGION,
    credentials: [KEYS],
    instanceHosts: hosts,
    bootMs: 200,
    shutdownMs: 300,
    instanceProfiles: ['swarm-nodes']
  })
  client = new EC2Client({ region: REGION, endpoint: fake.url, credentials: KEYS, maxAttempts: 1 })
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'setup-swarm', '-f', path.join(dir, 'key')])
  await client.send(new ImportKeyPairCommand({ KeyName: KEY_NAME, PublicKeyMaterial: readFileSync(path.join(dir, 'key.pub')) }))
  tls = await prepareRunTls(path.join(dir, 'client'), path.join(dir, 'ca'), undefined)
})

afterAll(async () => {
  client?.destroy()
  await fake?.settled()
  await fake?.close()
  await hosts?.stop()
})

/** The SSH host keys between the console's BEGIN and END SSH HOST KEY KEYS lines (cloud-init's keys_to_console). */
function consoleHostKeys(text: string): string[] {
  const lines = text.split('\n')
  const begin = lines.lastIndexOf('-----BEGIN SSH HOST KEY KEYS-----')
  const end = lines.lastIndexOf('-----END SSH HOST KEY KEYS-----')
  return begin >= 0 && end > begin ? lines.slice(begin + 1, end) : []
}

async function consoleOf(instanceId: string, latest = true): Promise<string | undefined> {
  const { Output } = await client.send(new GetConsoleOutputCommand({ InstanceId: instanceId, Latest: latest }))
  return Output === undefined ? undefined : Buffer.from(Output, 'base64').toString('utf8')
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** How a TCP connection from the runner ends: connected, or the error's code. */
const tcpConnect = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect({ host, port, timeout: 3000 })
    socket.on('connect', () => (socket.destroy(), resolve('connected')))
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    socket.on('timeout', () => (socket.destroy(), resolve('timeout')))
  })

/** ssh as the default user, trusting only `knownHosts`. */
function ssh(host: string, knownHosts: string, command: string, input?: string) {
  return sh(
    'ssh',
    [
      ...['-i', path.join(dir, 'key'), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10'],
      ...['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null'],
      `${DEFAULT_USER}@${host}`,
      command
    ],
    input
  )
}

describe('instances on real hosts, booted as cloud-init boots them', () => {
  let launched: Instance[]
  let host: InstanceHost
  let knownHosts: string

  it('launches two instances in one call, with what the driver asks for, described back as EC2 does', async () => {
    const result = await client.send(
      new RunInstancesCommand({
        ImageId: 'ami-0noble0amd64new',
        InstanceType: 't3.small',
        MinCount: 2,
        MaxCount: 2,
        KeyName: KEY_NAME,
        UserData: Buffer.from(USER_DATA).toString('base64'),
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
        BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { Encrypted: true, VolumeSize: 20, VolumeType: 'gp3', DeleteOnTermination: true } }],
        IamInstanceProfile: { Name: 'swarm-nodes' },
        InstanceMarketOptions: { MarketType: 'spot' },
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'setup-swarm:cluster', Value: LABEL }] },
          { ResourceType: 'volume', Tags: [{ Key: 'setup-swarm:cluster', Value: LABEL }] }
        ]
      })
    )
    launched = result.Instances!
    expect(launched.map((instance) => instance.AmiLaunchIndex)).toEqual([0, 1])
    expect(new Set(launched.map((instance) => instance.PublicIpAddress))).toEqual(new Set(hosts.hosts.map((h) => h.publicIp)))
    host = hosts.hosts.find((candidate) => candidate.publicIp === launched[0].PublicIpAddress)!
    const described = await client.send(new DescribeInstancesCommand({ InstanceIds: [launched[0].InstanceId!] }))
    const instance = described.Reservations![0].Instances![0]
    expect(described.Reservations![0].ReservationId).toBe(result.ReservationId)
    expect(instance).toMatchObject({
      PrivateIpAddress: host.privateIp,
      InstanceLifecycle: 'spot',
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
      IamInstanceProfile: { Arn: expect.stringMatching(/:instance-profile\/swarm-nodes$/) as unknown as string },
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { Status: 'attached', DeleteOnTermination: true } }]
    })
    const volume = fake.volumes().find((v) => v.InstanceId === launched[0].InstanceId)!
    expect(volume).toMatchObject({ Size: 20, VolumeType: 'gp3', Encrypted: true, Tags: [{ Key: 'setup-swarm:cluster', Value: LABEL }] })
    const attribute = await client.send(new DescribeInstanceAttributeCommand({ InstanceId: launched[0].InstanceId!, Attribute: 'userData' }))
    expect(Buffer.from(attribute.UserData!.Value!, 'base64').toString()).toBe(USER_DATA)
  })

  it('shows no console output before the boot, then the host keys once cloud-init wrote them', async () => {
    const first = await consoleOf(launched[0].InstanceId!, false)
    expect(first).toBeUndefined()
    const text = await waitFor('the host keys on the console', async () => {
      const output = await consoleOf(launched[0].InstanceId!)
      return output?.includes('cloud-init: -----END SSH HOST KEY FINGERPRINTS-----') && consoleHostKeys(output).length ? output : undefined
    })
    const keys = consoleHostKeys(text)
    expect(keys.map((key) => key.split(' ')[0])).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519', 'ssh-rsa'])
    expect(keys.every((key) => key.endsWith(` root@${host.hostname}`))).toBe(true)
    // The fingerprints as logger -s prints them, as on EC2.
    expect(text).toMatch(/^<14>\w{3} [ \d]\d \d\d:\d\d:\d\d cloud-init: 256 SHA256:\S+ root@ip-[\d-]+ \(ED25519\)$/m)
    // The user data's own early block, through the journal.
    expect(text).toMatch(/^\[ *\d+\.\d{6}\] cloud-init\[\d+\]: -----BEGIN SSH HOST KEY KEYS-----$/m)
    knownHosts = path.join(dir, 'known_hosts')
    writeFileSync(knownHosts, keys.map((key) => `${host.publicIp} ${key.split(' ').slice(0, 2).join(' ')}\n`).join(''))
  })

  it('ran the user data once, as root, with its output in cloud-init-output.log', async () => {
    await waitFor('boot-finished', () => (existsSync(path.join(host.dir, 'instance', 'boot-finished')) ? true : undefined))
    const log = readFileSync(hosts.file(host, '/var/log/cloud-init-output.log'), 'utf8')
    expect(log.match(/user data runs as uid 0 on ip-/g)).toHaveLength(1)
    expect(log).toContain('user data done')
    expect(readFileSync(hosts.file(host, '/var/lib/setup-swarm/runs'), 'utf8')).toBe('run\n')
    expect(readFileSync(path.join(host.dir, 'instance', 'user-data-exit'), 'utf8').trim()).toBe('0')
  })

  it('lets in the key pair over SSH only with the host keys of the console, and restarts Docker with mutual TLS', async () => {
    // Another host's keys: refused.
    const otherKeys = path.join(dir, 'other_known_hosts')
    writeFileSync(
      otherKeys,
      readFileSync(knownHosts, 'utf8').replace(/ssh-ed25519 \S+/, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl')
    )
    expect(ssh(host.publicIp, otherKeys, 'true').status).not.toBe(0)
    const server = await issueCertificate(tls.authority!, host.hostname, 'server', { ips: [host.publicIp, host.privateIp], dnsNames: [] })
    const files = { 'ca.pem': tls.authority!.cert, 'server-cert.pem': server.cert, 'server-key.pem': server.key }
    const script = [
      'set -euo pipefail',
      'install -d -m 700 /etc/docker/tls',
      ...Object.entries(files).map(([name, text]) => `cat >/etc/docker/tls/${name} <<'PEM'\n${text.trim()}\nPEM`),
      'chmod 600 /etc/docker/tls/server-key.pem',
      `cat >/etc/docker/daemon.json <<'JSON'\n${JSON.stringify({ hosts: ['unix:///var/run/docker.sock', 'tcp://0.0.0.0:2376'], tlsverify: true, tlscacert: '/etc/docker/tls/ca.pem', tlscert: '/etc/docker/tls/server-cert.pem', tlskey: '/etc/docker/tls/server-key.pem' })}\nJSON`,
      'for i in $(seq 100); do [ -e /var/lib/setup-swarm/docker-installed ] && break; sleep 0.2; done',
      'systemctl restart docker',
      'systemctl enable docker',
      'systemctl is-active docker',
      ''
    ].join('\n')
    const restarted = ssh(host.publicIp, knownHosts, 'sudo bash -s', script)
    expect({ status: restarted.status, stderr: restarted.stderr }).toMatchObject({ status: 0 })
    expect(restarted.stdout.trim()).toBe('active')
    const engine = new Engine(`tcp://${host.publicIp}:2376`, await readClientTls(tls.client))
    try {
      expect(await engine.ping(5000)).toBe(true)
    } finally {
      engine.close()
    }
    // The other host's private address is not reachable from here: the runner has no route to it.
    const other = hosts.hosts.find((candidate) => candidate !== host)!
    expect(await tcpConnect(other.privateIp, 22)).toBe('EHOSTUNREACH')
    expect(await tcpConnect(other.publicIp, 22)).toBe('connected')
  })

  it('refuses more instances than there are free hosts, with EC2’s capacity error', async () => {
    await expect(
      client.send(new RunInstancesCommand({ ImageId: 'ami-0noble0amd64new', InstanceType: 't3.small', MinCount: 1, MaxCount: 1, KeyName: KEY_NAME }))
    ).rejects.toMatchObject({
      name: 'InsufficientInstanceCapacity',
      message: expect.stringContaining('t3.small capacity in the Availability Zone you requested (eu-west-1a)') as unknown as string
    })
  })

  it('wipes the host when its instance is terminated: its console stays readable, nothing of it runs', async () => {
    await client.send(new TerminateInstancesCommand({ InstanceIds: launched.map((instance) => instance.InstanceId!) }))
    await waitFor('terminated', () => (fake.instances().every((instance) => instance.State === 'terminated') ? true : undefined))
    await fake.settled()
    const text = await consoleOf(launched[0].InstanceId!)
    expect(consoleHostKeys(text ?? '')).toHaveLength(3)
    for (const wiped of hosts.hosts) {
      expect(sh('ip', ['netns', 'pids', wiped.netns]).stdout.trim()).toBe('')
      expect(existsSync(path.join(wiped.dir, 'fs'))).toBe(false)
    }
    expect(fake.volumes().every((volume) => volume.deletedAt)).toBe(true)
  })

  it('leaves nothing once stopped: namespaces, processes, mounts, routes, firewall rules, files', async () => {
    const base = hosts.hosts[0].netns.replace(/-\d+$/, '')
    await fake.settled()
    await hosts.stop()
    expect(
      sh('ip', ['netns', 'list'])
        .stdout.split('\n')
        .filter((line) => line.startsWith(base))
    ).toEqual([])
    expect(
      sh('ip', ['-br', 'link'])
        .stdout.split('\n')
        .filter((line) => line.startsWith(base))
    ).toEqual([])
    expect(sh('ip', ['route', 'show', 'type', 'unreachable']).stdout).not.toContain(hosts.privateSubnet.replace('.0/24', ''))
    expect(sh('ip', ['route']).stdout).not.toContain(hosts.publicSubnet.replace('.0/24', ''))
    expect(
      sh('ps', ['-e', '-o', 'args='])
        .stdout.split('\n')
        .filter((line) => line.includes(`instance-hosts-${LABEL}`))
    ).toEqual([])
    expect(
      readFileSync('/proc/mounts', 'utf8')
        .split('\n')
        .filter((line) => line.includes(`instance-hosts-${LABEL}`))
    ).toEqual([])
    expect(
      sh('iptables-save', [])
        .stdout.split('\n')
        .filter((line) => line.includes(base))
    ).toEqual([])
    expect(existsSync(path.join(TEST_TMP, `instance-hosts-${LABEL}`))).toBe(false)
  })
})
