import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Engine, ENGINE_PORT } from '../../engine/api.js'
import type { EngineNode } from '../../engine/node.js'
import { issueCertificate, makePrivateDir, readClientTls, writeSecretFiles, type RunTls } from '../../engine/tls.js'
import type { NodeSpec } from '../../inputs/index.js'
import { privilegedArgv } from '../../tools/command.js'
import { GiveUp, pollUntil, sleep, type Deadline } from '../../tools/wait.js'
import { NETNS_DIR } from './host-changes.js'
import { privileged, tool } from './host-tools.js'
import { resolvConfTarget } from './resolv-conf.js'

// A node is a dockerd in its own network, mount, UTS and PID namespace. Its first process is the
// PID namespace's init: killing it ends every process of the node.

/** Where a node keeps its data, certificates, config and log. */
export function nodeFiles(dir: string) {
  return {
    dataRoot: path.join(dir, 'data'),
    ca: path.join(dir, 'ca.pem'),
    cert: path.join(dir, 'server-cert.pem'),
    key: path.join(dir, 'server-key.pem'),
    config: path.join(dir, 'daemon.json'),
    log: path.join(dir, 'dockerd.log')
  }
}

/** The engine's command line: everything of its own, nothing shared with the host's engine. */
export function dockerdArgs(
  dockerd: string,
  node: { name: string; ip: string; cgroupParent: string; files: ReturnType<typeof nodeFiles> }
): string[] {
  const { files } = node
  return [
    dockerd,
    ...['--data-root', files.dataRoot, '--exec-root', '/run/docker', '--pidfile', '/run/docker.pid', '--config-file', files.config],
    ...['-H', `tcp://${node.ip}:${ENGINE_PORT}`, '--tlsverify', '--tlscacert', files.ca, '--tlscert', files.cert, '--tlskey', files.key],
    ...['--containerd-namespace', node.name, '--containerd-plugins-namespace', `${node.name}-plugins`],
    ...['--exec-opt', 'native.cgroupdriver=cgroupfs', '--cgroup-parent', node.cgroupParent]
  ]
}

/**
 * Every node keeps its images in the graph driver's store, whatever the runner's Docker defaults to
 * (Docker 29 takes the containerd store on a fresh install, older ones the graph driver): the
 * nodes behave alike on every runner, and the nodes after the first can start with its layers
 * hard-linked (image-store.ts), which the containerd store's namespaced metadata database does not
 * allow. Images cross from the runner's store by `docker save`, and are matched by an identity that
 * holds across stores (workload/images.ts, engine/image-identity.ts).
 */
export const NODE_DAEMON_CONFIG = { features: { 'containerd-snapshotter': false }, ip6tables: false }

// Runs as the node's first process: its own hostname, a private /run (no host containerd
// socket, room for the engine's runtime files), its own network devices in /sys, and a resolv.conf
// that works from the node. The host's /sys shows the runner's devices: there the node's engine
// would read and set the runner's own bridges by name (its docker0). The rest of /sys (cgroups,
// securityfs for AppArmor) stays the host's. The engine finds its companions (containerd, runc,
// docker-proxy, docker-init) beside its own binary first: sudo's PATH would otherwise mix in
// another installation's.
const NODE_INIT = [
  'set -e',
  'PATH="$(dirname "$4"):$PATH"',
  'hostname "$1"',
  'mount -t tmpfs -o mode=755 tmpfs /run',
  'mkdir /run/sysfs',
  'mount -t sysfs -o nosuid,nodev,noexec sysfs /run/sysfs',
  'mount --bind /run/sysfs/class/net /sys/class/net',
  'mount --bind /run/sysfs/devices/virtual/net /sys/devices/virtual/net',
  'umount -l /run/sysfs',
  'rmdir /run/sysfs',
  'mkdir -p "$(dirname "$3")"',
  'touch "$3"',
  'mount --bind "$2" "$3"',
  'shift 3',
  'exec "$@"'
].join('\n')

// Moves itself (and so every process the node starts) into the node's cgroup, then runs the node.
const PLACE_IN_CGROUP = ['set -e', 'mkdir -p "$1"', 'echo 0 > "$1/cgroup.procs"', 'shift', 'exec "$@"'].join('\n')

export interface NodeStart {
  node: NodeSpec
  ip: string
  netns: string
  /** The node's containers' cgroup parent. */
  cgroupParent: string
  /**
   * The cgroup (a directory of the freezer's hierarchy) every process of the node's own starts in,
   * below the node's cgroup, which its containers' are below too: freezing the node's cgroup
   * freezes the whole node (fault `pause`).
   */
  engineCgroup?: string
  resolvConf: string
  dir: string
  tls: RunTls
  deadline: Deadline
  /** Called once the engine's process runs, before it answers. */
  onSpawned?: () => void
}

/** The node's directory, certificates and config, which its engine needs to start. */
export async function writeNodeFiles(start: NodeStart): Promise<void> {
  const { node, ip, dir, tls } = start
  if (!tls.authority) throw new Error('the local driver signs node certificates and needs the CA key')
  await makePrivateDir(dir)
  const files = nodeFiles(dir)
  const serverPair = await issueCertificate(tls.authority, node.name, 'server', { ips: [ip, '127.0.0.1'], dnsNames: [node.name, 'localhost'] })
  await writeSecretFiles([
    [files.ca, tls.authority.cert],
    [files.cert, serverPair.cert],
    [files.key, serverPair.key],
    // Our own config, never the host's /etc/docker/daemon.json: see NODE_DAEMON_CONFIG.
    [files.config, `${JSON.stringify(NODE_DAEMON_CONFIG)}\n`]
  ])
}

/** Starts the node's engine in its (already attached) namespace, with its files written, and waits until it answers. */
export async function startNode(start: NodeStart): Promise<EngineNode> {
  const { node, ip, dir, tls } = start
  const files = nodeFiles(dir)
  const place = start.engineCgroup ? ['-c', PLACE_IN_CGROUP, 'setup-swarm-place', start.engineCgroup] : ['-c', 'exec "$@"', 'setup-swarm-node']
  const [command, args] = privilegedArgv('/bin/sh', [
    ...place,
    tool('nsenter'),
    `--net=${NETNS_DIR}/${start.netns}`,
    '--',
    tool('unshare'),
    ...['--mount', '--uts', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private'],
    '--',
    ...['/bin/sh', '-c', NODE_INIT, 'setup-swarm-node', node.name, start.resolvConf, resolvConfTarget()],
    ...dockerdArgs(tool('dockerd'), { name: node.name, ip, cgroupParent: start.cgroupParent, files })
  ])
  const log = openSync(files.log, 'a', 0o600)
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] })
  closeSync(log)
  let exited: string | undefined
  child.on('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`))
  child.on('error', (error) => (exited = error.message))
  child.unref()
  start.onSpawned?.()

  const engine = new Engine(`tcp://${ip}:${ENGINE_PORT}`, await readClientTls(tls.client))
  try {
    await pollUntil(
      start.deadline,
      `the engine of ${node.name}`,
      async () => {
        if (exited) throw new GiveUp(`the engine of ${node.name} ${exited}; its log ends with:\n${await logTail(files.log)}`)
        return engine.ping(1000)
      },
      { intervalMs: 50 }
    ).catch(async (error: Error) => {
      if (error instanceof GiveUp) throw error
      throw new Error(`${error.message}; its log ends with:\n${await logTail(files.log)}`)
    })
  } finally {
    engine.close()
  }
  return { name: node.name, role: node.role, ip, advertiseIp: ip, dockerHost: engine.dockerHost }
}

async function logTail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text.trim().split('\n').slice(-8).join('\n') || '(empty)'
}

const KILL_WAIT_MS = 10_000
/** Rounds of the kill script, 0.02 s apart: a killed process with much memory takes a while to leave. */
const KILL_ROUNDS = 50

// One privileged shell for every node: find the processes of the nodes' network namespaces (one
// pass over /proc for all of them: `ip netns pids` scans it once per namespace), kill them, again
// until none is left (bounded). The node's first process is its PID namespace's init: the kernel
// ends the rest with it. Prints the killed pids, then those still there.
const KILL_NODES = [
  'inodes=$(for ns in "$@"; do stat -L -c %i "/run/netns/$ns"; done | tr "\\n" " ")',
  'find_pids() { ls -l /proc/[0-9]*/ns/net 2>/dev/null | awk -v inodes="$inodes" \'BEGIN { n = split(inodes, list, " "); for (i = 1; i <= n; i++) wanted["net:[" list[i] "]"] = 1 } ($NF in wanted) { split($(NF - 2), path, "/"); printf "%s ", path[3] }\'; }',
  'killed=""; pids=""',
  'round=0',
  `while [ $round -lt ${KILL_ROUNDS} ]; do`,
  '  round=$((round + 1)); pids=$(find_pids)',
  '  [ -z "$pids" ] && break',
  '  kill -KILL $pids 2>/dev/null; killed="$killed $pids"; sleep 0.02',
  'done',
  // What the last round killed has left by now; what is still there was not killed.
  '[ -n "$pids" ] && pids=$(find_pids)',
  'echo "$killed"; echo "$pids"'
].join('\n')

/** Kills every process of the nodes' namespaces; returns the pids it killed. */
export async function killNodes(netns: string[]): Promise<string[]> {
  if (netns.length === 0) return []
  const { stdout } = await privileged('sh', ['-c', KILL_NODES, 'setup-swarm-kill', ...netns])
  const [killed = '', running = ''] = stdout.split('\n')
  if (running.trim()) throw new Error(`processes ${running.trim()} still run after being killed ${KILL_ROUNDS} times`)
  return [...new Set(killed.split(/\s+/).filter(Boolean))]
}

/**
 * Waits (bounded) until every killed process has exited: a killed process leaves its namespace
 * before it has. Reaping it is its parent's job (the runner's init): a zombie holds no memory,
 * files or namespaces.
 */
export async function waitExited(pids: string[]): Promise<void> {
  const deadline = Date.now() + KILL_WAIT_MS
  const running = () => pids.filter((pid) => !hasExited(pid))
  while (running().length) {
    if (Date.now() > deadline) throw new Error(`processes ${running().join(' ')} were killed but still run after ${KILL_WAIT_MS / 1000} s`)
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
