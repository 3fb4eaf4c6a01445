import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { cgroupHierarchies, cgroupTree } from '../../src/drivers/local/cgroups.js'
import { linkGroup, type LocalState } from '../../src/drivers/local/names.js'
import { ACTION_ENTRY, TEST_TMP } from './global-setup.js'
import { removeTestClusters as sweep } from './sweep.js'

// What a cluster leaves on the host, looked up the way an operator would, by cluster.

const sh = (command: string): string => spawnSync('sh', ['-c', command], { encoding: 'utf8' }).stdout ?? ''

const isNetnsMount = () =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === '/run/netns')
export const readIpForward = () => readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim()
// The host as the tests found it: what post must restore once no cluster is left.
const HOST_BEFORE = { netnsMount: isNetnsMount(), ipForward: readIpForward() }

export interface Leftovers {
  /** Host settings changed for clusters and not restored: the netns mount, ip_forward, the markers in /run/setup-swarm. */
  hostChanges: string[]
  netns: string[]
  links: string[]
  processes: string[]
  firewallRules: string[]
  mounts: string[]
  cgroups: string[]
  /** The claim on the cluster's names (/run/setup-swarm-<bridge>.claim). */
  claims: string[]
  files: boolean
}

/** Every cgroup named after the cluster, at any depth of every hierarchy: not only where post looks. */
const cgroupsOf = (bridge: string): string[] =>
  cgroupHierarchies()
    .flatMap((hierarchy) => cgroupTree(hierarchy))
    .filter((dir) => path.basename(dir).includes(bridge))

/** `bridge` is the cluster's bridge name (`swm<hash>`): every netns, link, rule and cgroup carries it. */
export function leftovers(bridge: string, clusterDir: string, host: { ipForward: string } = HOST_BEFORE): Leftovers {
  return {
    hostChanges: [
      ...(existsSync('/run/setup-swarm') ? ['/run/setup-swarm', ...readdirSync('/run/setup-swarm').map((marker) => `marker ${marker}`)] : []),
      ...(isNetnsMount() && !HOST_BEFORE.netnsMount ? ['/run/netns is still a mount'] : []),
      ...(readIpForward() !== host.ipForward ? [`ip_forward is ${readIpForward()}, was ${host.ipForward}`] : [])
    ],
    netns: sh('ip netns list')
      .split('\n')
      .filter((line) => line.includes(bridge)),
    // By name and by the cluster's link group: a link post missed is one whatever it is called.
    links: [
      ...new Set([
        ...readdirSync('/sys/class/net').filter((name) => name.startsWith(bridge)),
        // iproute2 lists an empty object for each link the group filter left out.
        ...(JSON.parse(sh(`ip -j link show group ${linkGroup({ bridge } as LocalState)}`) || '[]') as Array<{ ifname?: string }>).flatMap((link) =>
          link.ifname ? [link.ifname] : []
        )
      ])
    ],
    processes: sh('ps -e -o pid=,args=')
      .split('\n')
      .filter((line) => line.includes(clusterDir) || line.includes(bridge)),
    firewallRules: sh('iptables-save')
      .split('\n')
      .filter((line) => line.includes(bridge)),
    mounts: readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .filter((line) => line.includes(clusterDir) || line.includes(bridge)),
    cgroups: cgroupsOf(bridge),
    claims: readdirSync('/run').filter((name) => name.includes(bridge)),
    files: existsSync(clusterDir)
  }
}

export const NOTHING_LEFT: Leftovers = {
  hostChanges: [],
  netns: [],
  links: [],
  processes: [],
  firewallRules: [],
  mounts: [],
  cgroups: [],
  claims: [],
  files: false
}

/** The tests' safety net: post, as the runner runs it, for every cluster a test left. */
export function removeTestClusters(): ReturnType<typeof sweep> {
  return sweep(TEST_TMP, ACTION_ENTRY)
}
