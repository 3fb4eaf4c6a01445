import * as core from '@actions/core'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, existsSync, openSync, readFileSync, realpathSync } from 'node:fs'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { findExecutable, isRoot, privilegedArgv, run } from '../command.js'
import { Engine, ENGINE_PORT } from '../engine.js'
import type { NodeSpec } from '../inputs.js'
import { clusterPaths, type ClusterState } from '../state.js'
import { issueCertificate, makePrivateDir, readClientTls, writeSecretFiles, type RunTls } from '../tls.js'
import { GiveUp, pollUntil, sleep, type Deadline } from '../wait.js'
import type { CreateContext, Driver, EngineNode } from './driver.js'

// Each node: a dockerd in its own network, mount, UTS and PID namespace, on a private
// bridge of the cluster. Killing a node's first process ends every process of the node.

const NETNS_DIR = '/run/netns'
/**
 * Host settings that setup-swarm changed for its clusters, one marker each, so that the
 * last cluster out restores them, whichever cluster changed them.
 */
const HOST_CHANGES_DIR = '/run/setup-swarm'
type HostChange = 'netns-mount' | 'ip-forward'
/** RFC 2544's benchmarking range: nobody routes it, so a /24 of it is almost always free. */
const SUBNET_POOL = { first: [198, 18], size: 512 }
const PREFIX = 'swm'

export interface LocalState {
  bridge: string
  /** The comment on every firewall rule of this cluster. */
  tag: string
  /** The node namespaces, in node order (the veth of node i is `<bridge>v<i>`). */
  netns: string[]
  cgroupParent: string
  subnet?: string
}

export function localNames(clusterName: string, nodeCount: number): LocalState {
  const bridge = PREFIX + createHash('sha256').update(clusterName).digest('hex').slice(0, 8)
  return {
    bridge,
    tag: `setup-swarm:${bridge}`,
    netns: Array.from({ length: nodeCount }, (_, i) => `${bridge}-${i + 1}`),
    cgroupParent: `/setup-swarm-${bridge}`
  }
}

const vethName = (local: LocalState, index: number): string => `${local.bridge}v${index + 1}`

const TOOLS = {
  dockerd: 'docker.io or docker-ce (dockerd)',
  ip: 'iproute2',
  iptables: 'iptables',
  'iptables-save': 'iptables',
  'iptables-restore': 'iptables',
  nsenter: 'util-linux',
  unshare: 'util-linux'
} as const
type Tool = keyof typeof TOOLS

function tool(name: Tool): string {
  const found = findExecutable(name)
  if (!found) throw new Error(`${name} is not installed (package ${TOOLS[name]})`)
  return found
}

const privileged = (name: Tool | 'kill' | 'rm' | 'sysctl' | 'rmdir' | 'umount' | 'mkdir', args: string[], input?: string) =>
  run(findExecutable(name) ?? name, args, { privileged: true, input, timeoutMs: 30_000 })

export const localDriver: Driver = {
  async preflight(inputs) {
    if (process.platform !== 'linux') {
      throw new Error(
        `the \`local\` driver needs a Linux runner, this one is ${process.platform}; use \`runs-on: ubuntu-latest\`, or a docker-machine driver such as \`virtualbox\``
      )
    }
    const missing = (Object.keys(TOOLS) as Tool[]).filter((name) => !findExecutable(name)).map((name) => `${name} (${TOOLS[name]})`)
    if (missing.length) {
      throw new Error(
        `the \`local\` driver needs ${missing.join(', ')} on the runner; install them, e.g. \`sudo apt-get install -y docker.io iproute2 iptables util-linux\``
      )
    }
    if (!isRoot() && (await run('sudo', ['-n', 'true'], { allowFailure: true, timeoutMs: 10_000 }).catch(() => ({ code: 1 }))).code !== 0) {
      throw new Error(
        'the `local` driver needs root or passwordless sudo to create network namespaces and engines; GitHub-hosted Linux runners have it, a self-hosted runner needs `NOPASSWD` sudo for its user'
      )
    }
    const { bridge } = localNames(inputs.name, 0)
    if (existsSync(`/sys/class/net/${bridge}`)) {
      throw new Error(`a cluster named "${inputs.name}" already runs on this runner (bridge ${bridge}); give each setup-swarm step its own \`name\``)
    }
  },

  async create(nodes, context) {
    const local = localNames(context.state.name, nodes.length)
    context.state.local = local
    context.saveState()
    // iproute2 makes /run/netns a mount on its first `ip netns add`.
    if (!isMountPoint(NETNS_DIR)) await markHostChange('netns-mount')

    const network = await createNetwork(local, context)
    const paths = clusterPaths(context.state.dir)
    await writeFile(paths.resolvConf, await nodeResolvConf())
    // Every start settles (each is bounded) before a failure is reported: nothing of main is
    // still creating things when post starts removing them.
    const started = await Promise.allSettled(
      nodes.map((node, index) =>
        startNode({
          node,
          index,
          ip: network.nodeIp(index),
          gateway: network.gateway,
          local,
          resolvConf: paths.resolvConf,
          dir: path.join(paths.nodes, node.name),
          tls: context.tls,
          deadline: context.deadline
        })
      )
    )
    const failed = started.filter((result): result is PromiseRejectedResult => result.status === 'rejected')
    if (failed.length) throw new Error(failed.map((result) => (result.reason as Error).message).join('\n'))
    return started.map((result) => (result as PromiseFulfilledResult<EngineNode>).value)
  }
}

interface Network {
  gateway: string
  nodeIp: (index: number) => string
}

async function createNetwork(local: LocalState, context: CreateContext): Promise<Network> {
  const ip = tool('ip')
  const start = parseInt(local.bridge.slice(PREFIX.length), 16) % SUBNET_POOL.size
  const taken = await routedPrefixes(ip)
  await privileged('ip', ['-batch', '-'], `link add ${local.bridge} type bridge\nlink set ${local.bridge} up\n`)
  let subnet: string | undefined
  for (let step = 0; step < SUBNET_POOL.size && !subnet; step++) {
    const candidate = subnetAt((start + step) % SUBNET_POOL.size)
    if (taken.some((prefix) => overlaps(prefix, candidate))) continue
    await privileged('ip', ['addr', 'add', `${hostAddress(candidate, 1)}/24`, 'dev', local.bridge])
    // Another cluster may have picked the same subnet at the same moment: re-check after claiming it.
    const others = (await routedPrefixes(ip, local.bridge)).filter((prefix) => overlaps(prefix, candidate))
    if (others.length === 0) subnet = candidate
    else await privileged('ip', ['addr', 'del', `${hostAddress(candidate, 1)}/24`, 'dev', local.bridge])
  }
  if (!subnet) throw new Error(`no free /24 is left in 198.18.0.0/15 on this runner; remove old clusters (bridges named ${PREFIX}*)`)
  local.subnet = subnet
  context.saveState()
  core.info(`network ${subnet} on bridge ${local.bridge}`)

  // Docker on the runner sets the FORWARD policy to DROP: let the cluster's traffic through,
  // and NAT it to the internet so that nodes can pull images.
  await privileged(
    'iptables-restore',
    ['-w', '10', '--noflush'],
    [
      '*filter',
      `-I FORWARD -i ${local.bridge} -m comment --comment ${local.tag} -j ACCEPT`,
      `-I FORWARD -o ${local.bridge} -m comment --comment ${local.tag} -j ACCEPT`,
      'COMMIT',
      '*nat',
      `-A POSTROUTING -s ${subnet} ! -o ${local.bridge} -m comment --comment ${local.tag} -j MASQUERADE`,
      'COMMIT',
      ''
    ].join('\n')
  )
  if ((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim() !== '1') {
    await markHostChange('ip-forward')
    await privileged('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1'])
  }
  return { gateway: hostAddress(subnet, 1), nodeIp: (index) => hostAddress(subnet!, index + 2) }
}

interface NodeStart {
  node: NodeSpec
  index: number
  ip: string
  gateway: string
  local: LocalState
  resolvConf: string
  dir: string
  tls: RunTls
  deadline: Deadline
}

// Runs as the node's first process: its own hostname, a private /run (no host containerd
// socket, room for the engine's runtime files), and a resolv.conf that works from the node.
const NODE_INIT = [
  'set -e',
  'hostname "$1"',
  'mount -t tmpfs -o mode=755 tmpfs /run',
  'mkdir -p "$(dirname "$3")"',
  'touch "$3"',
  'mount --bind "$2" "$3"',
  'shift 3',
  'exec "$@"'
].join('\n')

export async function startNode(start: NodeStart): Promise<EngineNode> {
  const { node, index, ip, local, dir, tls } = start
  const netns = local.netns[index]
  if (!tls.authority) throw new Error('the local driver signs node certificates and needs the CA key')
  await makePrivateDir(dir)
  const serverPair = await issueCertificate(tls.authority, node.name, 'server', { ips: [ip, '127.0.0.1'], dnsNames: [node.name, 'localhost'] })
  const files = {
    ca: path.join(dir, 'ca.pem'),
    cert: path.join(dir, 'server-cert.pem'),
    key: path.join(dir, 'server-key.pem'),
    config: path.join(dir, 'daemon.json')
  }
  await writeSecretFiles([
    [files.ca, tls.authority.cert],
    [files.cert, serverPair.cert],
    [files.key, serverPair.key],
    // Our own (empty) config: never the host's /etc/docker/daemon.json.
    [files.config, '{}\n']
  ])

  const veth = vethName(local, index)
  await privileged(
    'ip',
    ['-batch', '-'],
    [`netns add ${netns}`, `link add ${veth} type veth peer name eth0 netns ${netns}`, `link set ${veth} master ${local.bridge} up`, ''].join('\n')
  )
  await privileged(
    'ip',
    ['-n', netns, '-batch', '-'],
    ['link set lo up', `addr add ${ip}/24 dev eth0`, 'link set eth0 up', `route add default via ${start.gateway}`, ''].join('\n')
  )

  const dockerd = [
    tool('dockerd'),
    ...['--data-root', path.join(dir, 'data'), '--exec-root', '/run/docker', '--pidfile', '/run/docker.pid', '--config-file', files.config],
    ...['-H', `tcp://${ip}:${ENGINE_PORT}`, '--tlsverify', '--tlscacert', files.ca, '--tlscert', files.cert, '--tlskey', files.key],
    ...['--containerd-namespace', node.name, '--containerd-plugins-namespace', `${node.name}-plugins`],
    ...['--exec-opt', 'native.cgroupdriver=cgroupfs', '--cgroup-parent', local.cgroupParent]
  ]
  const [command, args] = privilegedArgv(tool('nsenter'), [
    `--net=${NETNS_DIR}/${netns}`,
    '--',
    tool('unshare'),
    ...['--mount', '--uts', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private'],
    '--',
    '/bin/sh',
    '-c',
    NODE_INIT,
    'setup-swarm-node',
    node.name,
    start.resolvConf,
    resolvConfTarget(),
    ...dockerd
  ])
  const logFile = path.join(dir, 'dockerd.log')
  const log = openSync(logFile, 'a', 0o600)
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] })
  closeSync(log)
  let exited: string | undefined
  child.on('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`))
  child.on('error', (error) => (exited = error.message))
  child.unref()

  const engine = new Engine(`tcp://${ip}:${ENGINE_PORT}`, await readClientTls(tls.client))
  try {
    await pollUntil(
      start.deadline,
      `the engine of ${node.name}`,
      async () => {
        if (exited) throw new GiveUp(`the engine of ${node.name} ${exited}; its log ends with:\n${await logTail(logFile)}`)
        return engine.ping(1000)
      },
      { intervalMs: 50 }
    ).catch(async (error: Error) => {
      if (error instanceof GiveUp) throw error
      throw new Error(`${error.message}; its log ends with:\n${await logTail(logFile)}`)
    })
  } finally {
    engine.close()
  }
  return { name: node.name, role: node.role, ip, dockerHost: `tcp://${ip}:${ENGINE_PORT}` }
}

async function logTail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text.trim().split('\n').slice(-8).join('\n') || '(empty)'
}

/** Removes every namespace, process, link, rule and cgroup of the cluster; returns what is left. */
export async function removeLocal(state: ClusterState): Promise<string[]> {
  const local = state.local
  if (!local) return []
  const left: string[] = []
  const attempt = async (what: string, action: () => Promise<unknown>) => {
    const started = Date.now()
    try {
      await action()
    } catch (error) {
      left.push(`${what}: ${(error as Error).message}`)
    } finally {
      core.debug(`removing ${what} took ${Date.now() - started} ms`)
    }
  }
  const existing = local.netns.filter((netns) => existsSync(path.join(NETNS_DIR, netns)))
  await Promise.all(existing.map((netns) => attempt(`the processes of node namespace ${netns}`, () => killNamespace(netns))))
  for (const netns of existing) await attempt(`network namespace ${netns}`, () => privileged('ip', ['netns', 'delete', netns]))
  for (const [index] of local.netns.entries()) {
    const veth = vethName(local, index)
    if (existsSync(`/sys/class/net/${veth}`))
      await attempt(`link ${veth}`, () => privileged('ip', ['link', 'delete', veth]).catch(ignoreIfGone(veth)))
  }
  if (existsSync(`/sys/class/net/${local.bridge}`)) await attempt(`bridge ${local.bridge}`, () => privileged('ip', ['link', 'delete', local.bridge]))
  await attempt(`firewall rules tagged ${local.tag}`, () => removeFirewallRules(local.tag))
  await attempt(`cgroups ${local.cgroupParent}`, () => removeCgroups(local.cgroupParent))
  if (!(await otherClustersRunning())) await attempt('the host settings changed for the clusters', undoHostChanges)
  return left
}

async function markHostChange(change: HostChange): Promise<void> {
  // A directory: `mkdir -p` does not mind another cluster making the same marker at the same moment.
  await privileged('mkdir', ['-p', path.join(HOST_CHANGES_DIR, change)])
}

async function undoHostChanges(): Promise<void> {
  if (!existsSync(HOST_CHANGES_DIR)) return
  const changes = (await readdir(HOST_CHANGES_DIR)) as HostChange[]
  if (changes.includes('ip-forward')) await privileged('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=0'])
  if (changes.includes('netns-mount') && isMountPoint(NETNS_DIR) && (await readdir(NETNS_DIR)).length === 0) {
    // Two clusters' first `ip netns add` at one moment can stack two mounts (iproute2 checks,
    // then mounts); two posts may get here at once: unmount until it is no mount point.
    for (let layer = 0; layer < 4 && isMountPoint(NETNS_DIR); layer++) {
      await privileged('umount', [NETNS_DIR]).catch((error: Error) => {
        if (isMountPoint(NETNS_DIR) && layer === 3) throw error
      })
    }
    await privileged('rmdir', [NETNS_DIR]).catch(() => undefined)
  }
  await privileged('rm', ['-rf', HOST_CHANGES_DIR])
}

async function killNamespace(netns: string): Promise<void> {
  const pids = async () => (await privileged('ip', ['netns', 'pids', netns])).stdout.split(/\s+/).filter(Boolean)
  const deadline = Date.now() + 10_000
  const killed = new Set<string>()
  for (let found = await pids(); found.length; found = await pids()) {
    if (Date.now() > deadline) throw new Error(`processes ${found.join(' ')} are still running after 10 s`)
    // The node's first process is its PID namespace's init: the kernel ends the rest with it.
    await privileged('kill', ['-KILL', ...found]).catch(() => undefined)
    found.forEach((pid) => killed.add(pid))
    await sleep(50)
  }
  // A killed process leaves the namespace before it has exited: wait until it has. Reaping it
  // is its parent's job (the runner's init): a zombie holds no memory, files or namespaces.
  const running = () => [...killed].filter((pid) => !hasExited(pid))
  while (running().length) {
    if (Date.now() > deadline) throw new Error(`processes ${running().join(' ')} were killed but still run after 10 s`)
    await sleep(20)
  }
}

function hasExited(pid: string): boolean {
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; Z is a zombie, X a dying task.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return /^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))
  } catch {
    return true
  }
}

const ignoreIfGone = (name: string) => (error: Error) => {
  if (existsSync(`/sys/class/net/${name}`)) throw error
}

async function removeFirewallRules(tag: string): Promise<void> {
  const saved = (await privileged('iptables-save', [])).stdout
  const lines: string[] = []
  let table = ''
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) table = line
    else if (line.startsWith('-A ') && line.includes(tag)) lines.push(table, line.replace(/^-A /, '-D '), 'COMMIT')
  }
  if (lines.length) await privileged('iptables-restore', ['-w', '10', '--noflush'], lines.join('\n') + '\n')
}

async function otherClustersRunning(): Promise<boolean> {
  // A cluster is its bridge; its nodes' veths carry the same prefix but are no bridges.
  return (await readdir('/sys/class/net')).some((name) => name.startsWith(PREFIX) && existsSync(`/sys/class/net/${name}/bridge`))
}

async function removeCgroups(parent: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f[2] === 'cgroup' || f[2] === 'cgroup2')
  for (const [, mountPoint] of mounts) {
    const top = path.join(mountPoint, parent)
    if (existsSync(top)) await removeCgroupTree(top)
  }
}

async function removeCgroupTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true })
  for (const entry of entries.filter((e) => e.isDirectory())) await removeCgroupTree(path.join(dir, entry.name))
  await privileged('rmdir', [dir])
}

function isMountPoint(dir: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === dir)
}

async function routedPrefixes(ip: string, exceptDevice?: string): Promise<string[]> {
  const { stdout } = await run(ip, ['-j', '-4', 'route', 'show', 'table', 'all'])
  const routes = JSON.parse(stdout || '[]') as Array<{ dst: string; dev?: string }>
  return routes
    .filter((route) => route.dst !== 'default' && route.dev !== exceptDevice)
    .map((route) => (route.dst.includes('/') ? route.dst : `${route.dst}/32`))
}

function subnetAt(index: number): string {
  const [a, b] = SUBNET_POOL.first
  return `${a}.${b + (index >> 8)}.${index & 255}.0/24`
}

const hostAddress = (subnet: string, host: number): string => subnet.replace(/\.0\/24$/, `.${host}`)

function toNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0)
}

export function overlaps(a: string, b: string): boolean {
  const [addressA, bitsA] = a.split('/')
  const [addressB, bitsB] = b.split('/')
  const hostBits = 32 - Math.min(Number(bitsA), Number(bitsB))
  return Math.floor(toNumber(addressA) / 2 ** hostBits) === Math.floor(toNumber(addressB) / 2 ** hostBits)
}

function resolvConfTarget(): string {
  try {
    return realpathSync('/etc/resolv.conf')
  } catch {
    return '/etc/resolv.conf'
  }
}

/**
 * The name servers a node can reach. A loopback stub resolver (systemd-resolved's
 * 127.0.0.53) is not reachable from a node's namespace: use the servers behind it.
 */
export async function nodeResolvConf(files = { host: '/etc/resolv.conf', behindStub: '/run/systemd/resolve/resolv.conf' }): Promise<string> {
  const read = (file: string) => readFile(file, 'utf8').catch(() => '')
  const servers = (text: string) => text.split('\n').filter((line) => /^\s*nameserver\s/.test(line) && !/\s(127\.|::1)/.test(line))
  const main = await read(files.host)
  let found = servers(main)
  if (found.length === 0) found = servers(await read(files.behindStub))
  if (found.length === 0) found = ['nameserver 8.8.8.8', 'nameserver 1.1.1.1']
  const search = main.split('\n').filter((line) => /^\s*(search|domain)\s/.test(line))
  return [...search, ...found.map((line) => line.trim()), ''].join('\n')
}
