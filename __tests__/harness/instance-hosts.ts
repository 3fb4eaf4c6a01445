import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { cgroupHierarchies } from '../../src/drivers/local/cgroups.js'
import { killNodes, waitExited } from '../../src/drivers/local/node.js'
import { run } from '../../src/tools/command.js'
import { ROOT, TEST_TMP } from './action.js'
import { ensureUser } from './runner-user.js'

// Real hosts for the fake EC2's instances (fixtures/fake-ec2.ts, option `instanceHosts`): each a
// network namespace with two addresses, as an EC2 instance has them. The public one is on a subnet
// the runner reaches; the private one on a subnet only the hosts reach (the runner has an
// `unreachable` route to it, so nothing for it leaves the machine), and the hosts drop each other's
// public traffic, as a security group whose swarm rules name the group itself does. The hosts share
// a bridge in a namespace of its own (the "VPC"): nothing of them is a bridge or a forwarding rule
// on the machine, where the local driver's clusters look for others', and they have no default
// route (no traffic of theirs leaves the machine).
//
// A host boots an instance as cloud-init does on Ubuntu (fixtures/instance/boot.sh): its own mount,
// UTS and PID namespaces, new SSH host keys, sshd, the key pair's key for the user `ubuntu`, the user
// data once as root, the host keys on the console. Terminating the instance wipes the host: every
// process of it killed, its files and network made anew.

export const DEFAULT_USER = 'ubuntu'
const PREFIX = 'ec2h'
const BOOT = path.join(ROOT, '__tests__', 'fixtures', 'instance', 'boot.sh')
export const SYSTEMCTL_STAND_IN = path.join(ROOT, '__tests__', 'fixtures', 'instance', 'systemctl')
/** Directories an instance gets fresh (boot.sh's `fresh`), and those it sees through an overlay (its changes under fs/upper). */
const FRESH = ['/root', `/home/${DEFAULT_USER}`, '/var/log', '/var/lib/cloud', '/var/lib/docker']
const OVERLAID = ['/etc', '/usr', '/var']
/** The first lines of an Ubuntu instance's serial console, before cloud-init's. */
const KERNEL_LINES = [
  '[    0.000000] Linux version 6.8.0-1021-aws (buildd@lcy02-amd64-098) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #23-Ubuntu SMP Mon Dec  9 23:59:34 UTC 2024 (Ubuntu 6.8.0-1021.23-aws 6.8.12)',
  '[    0.000000] Command line: BOOT_IMAGE=/vmlinuz-6.8.0-1021-aws root=PARTUUID=d9e2e6c5-2dd4-4a5e-8e47-1c1f6b0d3a11 ro console=tty1 console=ttyS0 nvme_core.io_timeout=4294967295 panic=-1'
]

export interface InstanceHost {
  /** `<label>-<n>`. */
  name: string
  netns: string
  publicIp: string
  privateIp: string
  /** As EC2 names an instance after its private address: ip-10-220-7-11. */
  hostname: string
  /** Its files on the machine: console.log, boot.log (boot.sh's own errors), instance/ (user data, public key, user-data-exit, boot-finished), fs/. */
  dir: string
}

export interface InstanceBoot {
  instanceId: string
  /** The user data as cloud-init reads it (decoded). */
  userData: Buffer
  /** The key pair's public key, for the default user. */
  publicKey?: string
}

export interface InstanceHosts {
  label: string
  hosts: InstanceHost[]
  /** The hosts' public /24 (the runner's own address on it is .1) and private /24. */
  publicSubnet: string
  privateSubnet: string
  /** Boots an instance on the host: returns once its first process runs; the boot goes on in the background. */
  boot(host: InstanceHost, instance: InstanceBoot): Promise<void>
  /** Ends the host's instance: every process killed, its files removed, its network made anew. */
  wipe(host: InstanceHost): Promise<void>
  /** The host's serial console so far. */
  console(host: InstanceHost): string
  /** Where a file of the running instance (`/var/log/cloud-init-output.log`) is on the machine. */
  file(host: InstanceHost, insidePath: string): string
  /** Removes everything: processes, namespaces, routes, files. Safe to call twice, and after a failed start. */
  stop(): Promise<void>
}

const ip = (args: string[], input?: string) => run('ip', args, { input, timeoutMs: 30_000 })
const batch = (commands: string[], netns?: string) => ip([...(netns ? ['-n', netns] : []), '-batch', '-'], commands.join('\n') + '\n')

/** The names of a label's hosts: all derived from it, so that a later run finds what a killed one left. */
function namesOf(label: string, count: number) {
  const hash = createHash('sha256').update(label).digest('hex').slice(0, 8)
  const base = `${PREFIX}${hash}`
  // 10.219.0.0/16 and 10.220.0.0/16: used by no other test (the local driver takes 198.18.0.0/15, amazonec2.test.ts 10.213.77.0/24).
  const third = parseInt(hash.slice(0, 2), 16)
  return {
    base,
    vpc: `${base}-vpc`,
    /** The runner's end of its link to the VPC: 15 characters at most. */
    uplink: base,
    publicSubnet: `10.219.${third}.0/24`,
    privateSubnet: `10.220.${third}.0/24`,
    gateway: `10.219.${third}.1`,
    hosts: Array.from({ length: count }, (_, i) => ({
      netns: `${base}-${i + 1}`,
      publicIp: `10.219.${third}.${11 + i}`,
      privateIp: `10.220.${third}.${11 + i}`
    }))
  }
}

const netnsExists = (name: string) => existsSync(`/run/netns/${name}`)
const isNetnsMount = () =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === '/run/netns')

/** `count` hosts for instances, named after `label` (unique among the test files that run at once). */
export async function startInstanceHosts(label: string, count: number): Promise<InstanceHosts> {
  if (count < 1 || count > 50) throw new Error(`instance hosts: 1 to 50, not ${count}`)
  ensureUser(DEFAULT_USER)
  const names = namesOf(label, count)
  const baseDir = path.join(TEST_TMP, `instance-hosts-${label}`)
  // What a killed run of the same label left.
  await removeAll(label, names, baseDir)
  const routed = JSON.parse((await ip(['-j', '-4', 'route', 'show', 'table', 'all'])).stdout || '[]') as Array<{ dst: string }>
  const taken = routed.filter((route) => [names.publicSubnet, names.privateSubnet].includes(route.dst.includes('/') ? route.dst : `${route.dst}/32`))
  if (taken.length) throw new Error(`instance hosts ${label}: ${taken.map((route) => route.dst).join(', ')} is routed already; choose another label`)
  const netnsMountBefore = isNetnsMount()

  const hosts: InstanceHost[] = names.hosts.map((host, i) => ({
    name: `${label}-${i + 1}`,
    ...host,
    hostname: `ip-${host.privateIp.replace(/\./g, '-')}`,
    dir: path.join(baseDir, `${label}-${i + 1}`)
  }))
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await removeAll(label, names, baseDir)
    // iproute2 made /run/netns a mount on its first namespace: undone when it did so for us and no namespace is left.
    if (!netnsMountBefore && isNetnsMount() && readdirSync('/run/netns').length === 0) {
      await run('umount', ['/run/netns'], { allowFailure: true })
    }
  }
  try {
    mkdirSync(baseDir, { recursive: true })
    await batch([
      `netns add ${names.vpc}`,
      `link add ${names.uplink} type veth peer name uplink netns ${names.vpc}`,
      `addr add ${names.gateway}/24 dev ${names.uplink}`,
      `link set ${names.uplink} up`,
      `route replace unreachable ${names.privateSubnet}`
    ])
    await batch(['link set lo up', 'link add br0 type bridge', 'link set br0 up', 'link set uplink master br0 up'], names.vpc)
    for (const host of hosts) await attach(host, hosts, names.vpc)
  } catch (error) {
    await stop()
    throw error
  }

  const file = (host: InstanceHost, insidePath: string) => {
    const fresh = FRESH.find((dir) => insidePath === dir || insidePath.startsWith(`${dir}/`))
    if (fresh) return path.join(host.dir, 'fs', insidePath)
    const overlaid = OVERLAID.find((dir) => insidePath.startsWith(`${dir}/`))
    if (overlaid) return path.join(host.dir, 'fs', 'upper', insidePath)
    throw new Error(`${insidePath} is not among an instance's own files`)
  }

  return {
    label,
    hosts,
    publicSubnet: names.publicSubnet,
    privateSubnet: names.privateSubnet,
    boot: (host, instance) => boot(host, instance),
    async wipe(host) {
      await killHosts([host])
      await ip(['netns', 'delete', host.netns])
      removeFiles(host)
      await attach(host, hosts, names.vpc)
    },
    console: (host) => (existsSync(path.join(host.dir, 'console.log')) ? readFileSync(path.join(host.dir, 'console.log'), 'utf8') : ''),
    file,
    stop
  }
}

/** The host's namespace on the VPC's bridge: both addresses on eth0, no default route, the other hosts' public traffic dropped. */
async function attach(host: InstanceHost, all: InstanceHost[], vpc: string): Promise<void> {
  const link = `h${host.netns.slice(host.netns.lastIndexOf('-') + 1)}`
  await batch([`netns add ${host.netns}`])
  await batch([`link add ${link} type veth peer name eth0 netns ${host.netns}`, `link set ${link} master br0 up`], vpc)
  await batch(['link set lo up', `addr add ${host.publicIp}/24 dev eth0`, `addr add ${host.privateIp}/24 dev eth0`, 'link set eth0 up'], host.netns)
  const others = all.filter((other) => other !== host)
  if (others.length) {
    const rules = ['*filter', ...others.map((other) => `-I INPUT -s ${other.publicIp} -j DROP`), 'COMMIT', ''].join('\n')
    await run('ip', ['netns', 'exec', host.netns, 'iptables-restore', '-w', '10', '--noflush'], { input: rules })
  }
}

async function boot(host: InstanceHost, instance: InstanceBoot): Promise<void> {
  const seed = path.join(host.dir, 'instance')
  mkdirSync(seed, { recursive: true })
  writeFileSync(path.join(seed, 'user-data'), instance.userData, { mode: 0o600 })
  writeFileSync(path.join(seed, 'public-key'), instance.publicKey ? `${instance.publicKey.trim()}\n` : '', { mode: 0o600 })
  writeFileSync(path.join(seed, 'instance-id'), `${instance.instanceId}\n`)
  writeFileSync(path.join(host.dir, 'console.log'), KERNEL_LINES.join('\n') + '\n')
  const log = openSync(path.join(host.dir, 'boot.log'), 'a', 0o600)
  const child = spawn(
    'nsenter',
    [
      `--net=/run/netns/${host.netns}`,
      '--',
      ...['unshare', '--mount', '--uts', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private', '--'],
      // tini as the instance's init: it reaps what sshd and the daemons leave to it.
      ...['tini', '--', 'bash', BOOT, host.dir, host.hostname, host.privateIp, SYSTEMCTL_STAND_IN, (Date.now() / 1000).toFixed(6)]
    ],
    { detached: true, stdio: ['ignore', log, log] }
  )
  closeSync(log)
  child.unref()
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
}

/** Kills every process of the hosts (their first process's death ends the rest of their PID namespace) and waits until they are gone. */
async function killHosts(hosts: Array<{ netns: string; dir?: string }>): Promise<void> {
  const existing = hosts.filter((host) => netnsExists(host.netns))
  if (!existing.length) return
  await waitExited(await killNodes(existing.map((host) => host.netns)))
  // A container's processes are in the host's PID namespace, not in its network one: they die with it, a moment later.
  for (const host of existing) if (host.dir) removeContainerCgroups(host.dir)
}

/** The cgroups the host's engine made for its containers (cgroupfs driver, parent /docker): empty once they died. */
function removeContainerCgroups(dir: string): void {
  const containers = path.join(dir, 'fs', 'var', 'lib', 'docker', 'containers')
  if (!existsSync(containers)) return
  const ids = readdirSync(containers)
  for (const hierarchy of cgroupHierarchies()) {
    for (const id of ids) {
      const cgroup = path.join(hierarchy, 'docker', id)
      for (let attempt = 0; attempt < 50 && existsSync(cgroup); attempt++) {
        try {
          rmdirSync(cgroup)
        } catch {
          // rmdir(2) of a cgroup whose last process is still leaving: try again.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
        }
      }
    }
  }
}

function removeFiles(host: { dir: string }): void {
  rmSync(host.dir, { recursive: true, force: true })
}

/** Everything of a label: its hosts' processes, namespaces, the runner's link and route, the files. */
async function removeAll(label: string, names: ReturnType<typeof namesOf>, baseDir: string): Promise<void> {
  // Every host of the label, however many an earlier run had.
  const netns = (existsSync('/run/netns') ? readdirSync('/run/netns') : []).filter((name) => name.startsWith(`${names.base}-`) && name !== names.vpc)
  await killHosts(netns.map((name) => ({ netns: name, dir: path.join(baseDir, `${label}-${name.slice(name.lastIndexOf('-') + 1)}`) })))
  const commands = [...netns, ...(netnsExists(names.vpc) ? [names.vpc] : [])].map((name) => `netns delete ${name}`)
  if (existsSync(`/sys/class/net/${names.uplink}`)) commands.push(`link delete ${names.uplink}`)
  if (commands.length) await run('ip', ['-force', '-batch', '-'], { input: commands.join('\n') + '\n', allowFailure: true })
  await run('ip', ['route', 'del', 'unreachable', names.privateSubnet], { allowFailure: true })
  // The kernel removes a deleted namespace's links a moment later.
  for (let wait = 0; wait < 100 && existsSync(`/sys/class/net/${names.uplink}`); wait++) await new Promise((resolve) => setTimeout(resolve, 20))
  rmSync(baseDir, { recursive: true, force: true })
}
