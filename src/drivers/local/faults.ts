import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { ClusterState } from '../../state/cluster.js'
import type { RunTls } from '../../engine/tls.js'
import type { EngineNode } from '../../engine/node.js'
import type { FaultRequest, NodeFaultState } from '../driver.js'
import { freezerHierarchy, isFrozen, setFrozen, thawFrozen } from './cgroups.js'
import { privileged } from './host-tools.js'
import { engineCgroup, localPaths, nodeCgroup, type LocalState } from './names.js'
import { killNodes, startNode, waitExited } from './node.js'

// Faults of local nodes, each found again on the host (never only in a file that a cancel could
// leave behind): a stopped node has no process in its namespace, a paused one's cgroup is frozen, a
// partitioned one's address is in the cluster's partition rules. Post and destroy undo them all
// (remove: thaw, then kill; the rules carry the cluster's tag).

/** Node `index` of the cluster: its address is the subnet's host `index + 2` (network.ts). */
export function nodeIndex(local: LocalState, node: EngineNode): number {
  const index = Number(node.ip.split('.').pop()) - 2
  if (!local.subnet || node.ip !== `${local.subnet.replace(/\.0\/24$/, '')}.${index + 2}` || !local.netns[index]) {
    throw new Error(`${node.name} (${node.ip}) is not a node of this cluster's network ${local.subnet ?? '(none)'}`)
  }
  return index
}

const partitionTag = (local: LocalState): string => `${local.tag}-partition`

/** The pids in each node namespace (one privileged pass). */
async function runningNamespaces(local: LocalState, indexes: number[]): Promise<Set<number>> {
  const script = 'for ns in "$@"; do [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && echo "$ns"; done; true'
  const { stdout } = await privileged('sh', ['-c', script, 'setup-swarm-pids', ...indexes.map((index) => local.netns[index])])
  const running = new Set(stdout.split('\n').filter(Boolean))
  return new Set(indexes.filter((index) => running.has(local.netns[index])))
}

/** The partition rules: `-s A -d B` pairs. */
async function partitionRules(local: LocalState): Promise<Array<{ line: string; source: string; destination: string }>> {
  const saved = (await privileged('iptables-save', ['-t', 'filter'])).stdout
  return saved
    .split('\n')
    .filter((line) => line.startsWith('-A FORWARD ') && line.includes(partitionTag(local)))
    .map((line) => ({ line, source: /-s (\S+?)(\/32)? /.exec(line)?.[1] ?? '', destination: /-d (\S+?)(\/32)? /.exec(line)?.[1] ?? '' }))
}

export async function localFaultState(state: ClusterState<LocalState>, nodes: EngineNode[]): Promise<Map<string, NodeFaultState>> {
  const local = state.driverState!
  const indexes = nodes.map((node) => nodeIndex(local, node))
  const [running, rules] = await Promise.all([runningNamespaces(local, indexes), partitionRules(local)])
  const partitioned = new Set(rules.flatMap((rule) => [rule.source, rule.destination]))
  const freezer = freezerHierarchy()
  return new Map(
    nodes.map((node, i) => [
      node.name,
      {
        stopped: !running.has(indexes[i]),
        paused: freezer !== undefined && isFrozen(freezer, nodeCgroup(local, indexes[i])),
        partitioned: partitioned.has(node.ip)
      }
    ])
  )
}

const cgroupsOf = (local: LocalState, indexes: number[]): string[] => indexes.map((index) => nodeCgroup(local, index))

/** Thaws every frozen node of the cluster: a frozen process cannot die (cgroup v1). For remove, before the kill. */
export const thawAll = (local: LocalState): Promise<void> =>
  thawFrozen(
    cgroupsOf(
      local,
      local.netns.map((_, index) => index)
    )
  )

/** Traffic between every node of `side` and every node of `other` dropped both ways, above the cluster's own rules. */
async function addPartition(local: LocalState, side: string[], other: string[]): Promise<void> {
  // Traffic between nodes is bridged: the FORWARD chain sees it only through br_netfilter.
  const bridged = await readFile('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').catch(() => '')
  if (bridged.trim() !== '1') {
    throw new Error(
      'bridged traffic bypasses iptables on this runner (net.bridge.bridge-nf-call-iptables is not 1): a partition would drop nothing; run `sudo modprobe br_netfilter && sudo sysctl -w net.bridge.bridge-nf-call-iptables=1` first'
    )
  }
  const rule = (source: string, destination: string) =>
    `-I FORWARD -s ${source}/32 -d ${destination}/32 -m comment --comment ${partitionTag(local)} -j DROP`
  const rules = side.flatMap((a) => other.flatMap((b) => [rule(a, b), rule(b, a)]))
  await privileged('iptables-restore', ['-w', '10', '--noflush'], ['*filter', ...rules, 'COMMIT', ''].join('\n'))
}

/** Removes the partition rules of `ips` (every one when none are given). */
async function removePartition(local: LocalState, ips: string[]): Promise<void> {
  const rules = (await partitionRules(local)).filter((rule) => !ips.length || ips.includes(rule.source) || ips.includes(rule.destination))
  if (!rules.length) return
  await privileged(
    'iptables-restore',
    ['-w', '10', '--noflush'],
    ['*filter', ...rules.map((rule) => rule.line.replace(/^-A /, '-D ')), 'COMMIT', ''].join('\n')
  )
}

export async function injectLocalFault(state: ClusterState<LocalState>, request: FaultRequest): Promise<void> {
  const local = state.driverState!
  const indexes = request.nodes.map((node) => nodeIndex(local, node))
  switch (request.fault) {
    case 'stop': {
      // A frozen process cannot die: thawed first, then killed with everything of the node at once.
      const freezer = freezerHierarchy()
      const frozen = freezer ? indexes.filter((index) => isFrozen(freezer, nodeCgroup(local, index))) : []
      if (frozen.length) await setFrozen(cgroupsOf(local, frozen), false, request.deadline)
      await waitExited(await killNodes(indexes.map((index) => local.netns[index])))
      return
    }
    case 'start': {
      const paths = localPaths(state.dir)
      // Only the client is needed: the node's certificates and config are on its disk already.
      const tls: RunTls = {
        client: request.client,
        files: { caCert: request.client.ca, caKey: '', clientCert: request.client.cert, clientKey: request.client.key }
      }
      const freezer = freezerHierarchy()
      await Promise.all(
        request.nodes.map((node, i) =>
          startNode({
            node: { name: node.name, role: node.role, createOpts: [] },
            ip: node.ip,
            netns: local.netns[indexes[i]],
            cgroupParent: nodeCgroup(local, indexes[i]),
            engineCgroup: freezer && path.join(freezer.path, engineCgroup(local, indexes[i])),
            resolvConf: paths.resolvConf,
            dir: path.join(paths.nodes, node.name),
            tls,
            deadline: request.deadline
          })
        )
      )
      return
    }
    case 'pause':
      return setFrozen(cgroupsOf(local, indexes), true, request.deadline)
    case 'resume':
      return setFrozen(cgroupsOf(local, indexes), false, request.deadline)
    case 'partition':
      return addPartition(
        local,
        request.nodes.map((node) => node.ip),
        request.from.map((node) => node.ip)
      )
    case 'heal':
      return removePartition(
        local,
        request.nodes.map((node) => node.ip)
      )
  }
}
