import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'

// What a cluster leaves on the host, looked up the way an operator would, by cluster.

const sh = (command: string): string => spawnSync('sh', ['-c', command], { encoding: 'utf8' }).stdout ?? ''

export interface Leftovers {
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
    netns: sh('ip netns list').split('\n').filter((line) => line.includes(bridge)),
    links: readdirSync('/sys/class/net').filter((name) => name.startsWith(bridge)),
    processes: sh('ps -e -o pid=,args=').split('\n').filter((line) => line.includes(clusterDir) || line.includes(bridge)),
    firewallRules: sh('iptables-save').split('\n').filter((line) => line.includes(bridge)),
    mounts: readFileSync('/proc/mounts', 'utf8').split('\n').filter((line) => line.includes(clusterDir) || line.includes(bridge)),
    files: existsSync(clusterDir)
  }
}

export const NOTHING_LEFT: Leftovers = { netns: [], links: [], processes: [], firewallRules: [], mounts: [], files: false }

/**
 * The tests' own safety net, for a test that failed before post ran: ends every node of
 * every setup-swarm cluster on this machine and removes their links and rules.
 */
export function forceRemoveAllClusters(): void {
  for (const netns of sh('ip netns list').split('\n').map((line) => line.split(' ')[0]).filter((name) => /^swm[0-9a-f]{8}-\d+$/.test(name))) {
    const pids = sh(`ip netns pids ${netns}`).split(/\s+/).filter(Boolean)
    if (pids.length) spawnSync('kill', ['-KILL', ...pids])
    spawnSync('ip', ['netns', 'delete', netns])
  }
  for (const link of readdirSync('/sys/class/net').filter((name) => /^swm[0-9a-f]{8}/.test(name))) spawnSync('ip', ['link', 'delete', link])
  const rules = sh('iptables-save').split('\n')
  let table = ''
  const deletions: string[] = []
  for (const line of rules) {
    if (line.startsWith('*')) table = line
    else if (line.startsWith('-A ') && line.includes('setup-swarm:')) deletions.push(table, line.replace(/^-A /, '-D '), 'COMMIT')
  }
  if (deletions.length) execFileSync('iptables-restore', ['--noflush'], { input: deletions.join('\n') + '\n' })
}
