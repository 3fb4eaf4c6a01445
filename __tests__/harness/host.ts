import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { removeLocal } from '../../src/drivers/local.js'
import type { ClusterState } from '../../src/state.js'
import { parseFileCommands, TEST_TMP } from './action.js'

// What a cluster leaves on the host, looked up the way an operator would, by cluster.

const sh = (command: string): string => spawnSync('sh', ['-c', command], { encoding: 'utf8' }).stdout ?? ''

const isNetnsMount = () =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === '/run/netns')
const readIpForward = () => readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim()
// The host as the tests found it: what post must restore once no cluster is left.
const HOST_BEFORE = { netnsMount: isNetnsMount(), ipForward: readIpForward() }

export interface Leftovers {
  /** Host settings changed for clusters and not restored: the netns mount, ip_forward, their markers. */
  hostChanges: string[]
  netns: string[]
  links: string[]
  processes: string[]
  firewallRules: string[]
  mounts: string[]
  files: boolean
}

/** `bridge` is the cluster's bridge name (`swm<hash>`): every netns, link and rule carries it. */
export function leftovers(bridge: string, clusterDir: string): Leftovers {
  return {
    hostChanges: [
      ...(existsSync('/run/setup-swarm') ? readdirSync('/run/setup-swarm').map((marker) => `marker ${marker}`) : []),
      ...(isNetnsMount() && !HOST_BEFORE.netnsMount ? ['/run/netns is still a mount'] : []),
      ...(readIpForward() !== HOST_BEFORE.ipForward ? [`ip_forward is ${readIpForward()}, was ${HOST_BEFORE.ipForward}`] : [])
    ],
    netns: sh('ip netns list')
      .split('\n')
      .filter((line) => line.includes(bridge)),
    links: readdirSync('/sys/class/net').filter((name) => name.startsWith(bridge)),
    processes: sh('ps -e -o pid=,args=')
      .split('\n')
      .filter((line) => line.includes(clusterDir) || line.includes(bridge)),
    firewallRules: sh('iptables-save')
      .split('\n')
      .filter((line) => line.includes(bridge)),
    mounts: readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .filter((line) => line.includes(clusterDir) || line.includes(bridge)),
    files: existsSync(clusterDir)
  }
}

export const NOTHING_LEFT: Leftovers = { hostChanges: [], netns: [], links: [], processes: [], firewallRules: [], mounts: [], files: false }

/**
 * The tests' own safety net, for a test that failed before its post ran: post's removal for
 * every cluster state a test's main saved, and nothing else on the machine.
 */
export async function removeTestClusters(): Promise<void> {
  if (!existsSync(TEST_TMP)) return
  for (const job of readdirSync(TEST_TMP).filter((name) => name.startsWith('job-'))) {
    const dir = path.join(TEST_TMP, job)
    for (const file of readdirSync(dir).filter((name) => name.startsWith('state-'))) {
      const text = parseFileCommands(readFileSync(path.join(dir, file), 'utf8')).cluster
      if (!text) continue
      const state = JSON.parse(text) as ClusterState
      if (state.driver === 'local') await removeLocal(state)
      rmSync(state.dir, { recursive: true, force: true })
    }
  }
}
