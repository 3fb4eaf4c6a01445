import * as core from '@actions/core'
import { existsSync, readdirSync } from 'node:fs'
import { run } from '../../tools/command.js'
import type { Leftovers } from '../../tools/leftovers.js'
import { sleep } from '../../tools/wait.js'
import { enableIpForward, NETNS_DIR } from './host-changes.js'
import { privileged, tool } from './host-tools.js'
import { bridgeAddress, bridgeHash, linkGroup, PREFIX, vethName, type LocalState } from './names.js'
import { hostAddress, overlaps, subnetCandidates, SUBNET_POOL } from './subnet.js'

// A cluster's network: a bridge with a free /24, one veth per node into the node's namespace, and
// firewall rules tagged with the cluster, which let its traffic through and NAT it to the internet.

export interface Network {
  gateway: string
  nodeIp: (index: number) => string
  /** The firewall rules and IP forwarding, which nodes need to reach each other and the internet, not to start. */
  routing: Promise<void>
}

/** Creates the bridge and claims a free /24 for it (recorded in `local.subnet`); the firewall rules follow. */
export async function createNetwork(local: LocalState, saveState: () => void): Promise<Network> {
  const taken = await routedPrefixes()
  // A bridge takes the lowest address of its links unless given one; nodes attached later would
  // change it under the nodes already talking through it, whose packets to the old address the
  // host then drops until their ARP entry expires (tens of seconds).
  await privileged('ip', ['-batch', '-'], `link add ${local.bridge} address ${bridgeAddress(local)} type bridge\nlink set ${local.bridge} up\n`)
  const start = parseInt(bridgeHash(local), 16) % SUBNET_POOL.size
  let subnet: string | undefined
  for (const candidate of subnetCandidates(start)) {
    if (taken.some((prefix) => overlaps(prefix, candidate))) continue
    await privileged('ip', ['addr', 'add', `${hostAddress(candidate, 1)}/24`, 'dev', local.bridge])
    // Another cluster may have picked the same subnet at the same moment: re-check after claiming it.
    const others = (await routedPrefixes(local.bridge)).filter((prefix) => overlaps(prefix, candidate))
    if (others.length === 0) {
      subnet = candidate
      break
    }
    await privileged('ip', ['addr', 'del', `${hostAddress(candidate, 1)}/24`, 'dev', local.bridge])
  }
  if (!subnet) throw new Error(`no free /24 is left in 198.18.0.0/15 on this runner; remove old clusters (bridges named ${PREFIX}*)`)
  local.subnet = subnet
  saveState()
  core.info(`network ${subnet} on bridge ${local.bridge}`)
  const routing = Promise.all([addFirewallRules(local, subnet), enableIpForward()]).then(() => undefined)
  routing.catch(() => undefined) // awaited before any node joins the swarm
  const claimed = subnet
  return { gateway: hostAddress(claimed, 1), nodeIp: (index) => hostAddress(claimed, index + 2), routing }
}

/**
 * The cluster's traffic through the runner's FORWARD chain, above Docker's rules (Docker sets its
 * policy to DROP): the nodes reach each other and, NATed, beyond the runner; what comes back to them
 * is only replies. Nothing else is forwarded to a node, whatever the chain's policy, so that no
 * neighbour of the runner reaches their engines, swarm ports or published ports (VXLAN is not
 * authenticated either). The runner itself reaches them directly, not through FORWARD.
 */
async function addFirewallRules(local: LocalState, subnet: string): Promise<void> {
  const tagged = (rule: string) => `${rule} -m comment --comment ${local.tag}`
  await privileged(
    'iptables-restore',
    ['-w', '10', '--noflush'],
    [
      '*filter',
      // Each -I goes on top: the last one here is the first rule of the chain.
      tagged(`-I FORWARD -o ${local.bridge}`) + ' -j DROP',
      tagged(`-I FORWARD -o ${local.bridge} -m conntrack --ctstate RELATED,ESTABLISHED`) + ' -j ACCEPT',
      tagged(`-I FORWARD -i ${local.bridge}`) + ' -j ACCEPT',
      'COMMIT',
      '*nat',
      tagged(`-A POSTROUTING -s ${subnet} ! -o ${local.bridge}`) + ' -j MASQUERADE',
      'COMMIT',
      ''
    ].join('\n')
  )
}

/** Node `index`'s namespace, linked to the bridge, with its address and a default route. */
export async function attachNode(local: LocalState, index: number, ip: string, gateway: string): Promise<void> {
  const [netns, veth] = [local.netns[index], vethName(local, index)]
  await privileged(
    'ip',
    ['-batch', '-'],
    [
      `netns add ${netns}`,
      `link add ${veth} group ${linkGroup(local)} type veth peer name eth0 netns ${netns}`,
      `link set ${veth} master ${local.bridge} up`,
      ''
    ].join('\n')
  )
  await privileged(
    'ip',
    ['-n', netns, '-batch', '-'],
    ['link set lo up', `addr add ${ip}/24 dev eth0`, 'link set eth0 up', `route add default via ${gateway}`, ''].join('\n')
  )
}

/**
 * Deletes the nodes' links; they may go while the nodes' processes still run, so post does it while
 * it kills them. The cluster's group goes in one pass when it holds only the cluster's links (it
 * always does, but deleting a group deletes whatever is in it); any link left (a cluster made before
 * links had a group), one by one.
 */
export async function removeNodeLinks(local: LocalState): Promise<void> {
  const group = String(linkGroup(local))
  const ours = new Set(local.netns.map((_, index) => vethName(local, index)))
  const inGroup = await linksInGroup(local)
  if (inGroup.length && inGroup.every((name) => ours.has(name))) await privileged('ip', ['link', 'delete', 'group', group])
  const rest = [...ours].filter(linkExists)
  if (rest.length) await privileged('ip', ['-force', '-batch', '-'], rest.map((name) => `link delete ${name}\n`).join(''), true)
}

/** Removes the namespaces (their processes must be gone), the links left, the bridge and firewall rules. */
export async function removeNetwork(local: LocalState, existingNetns: string[], left: Leftovers): Promise<void> {
  const links = [...local.netns.map((_, index) => vethName(local, index)), local.bridge].filter(linkExists)
  const commands = [...existingNetns.map((netns) => `netns delete ${netns}`), ...links.map((link) => `link delete ${link}`)]
  const removing = commands.length
    ? left.attempt('the network namespaces and links', async () => {
        // One ip process for all of them; -force goes on past a veth its namespace already took along.
        const result = await privileged('ip', ['-force', '-batch', '-'], commands.join('\n') + '\n', true)
        const remaining = () => [...existingNetns.filter((netns) => existsSync(`${NETNS_DIR}/${netns}`)), ...links.filter(linkExists)]
        // The kernel removes a deleted namespace's veth pair a moment later.
        for (let wait = 0; wait < 50 && remaining().length; wait++) await sleep(20)
        if (remaining().length) throw new Error(`${remaining().join(', ')} remain: ${result.stderr.trim()}`)
      })
    : undefined
  await Promise.all([removing, left.attempt(`firewall rules tagged ${local.tag}`, () => removeFirewallRules(local.tag))])
}

const linkExists = (name: string): boolean => existsSync(`/sys/class/net/${name}`)

/** How long post waits for the kernel to let go of the cluster's links, which it may do a moment after their namespaces. */
const LINKS_GONE_MS = 5_000

/**
 * Post returns only once the cluster's links are gone: any left by name (its bridge's name is their
 * prefix) or by its group is deleted again and waited for, bounded; what still stays is named.
 */
export async function waitLinksGone(local: LocalState): Promise<void> {
  const deadline = Date.now() + LINKS_GONE_MS
  const deleteAgainAt = Date.now() + 1000
  let deletedAgain = false
  for (let left = await clusterLinks(local); left.length; left = await clusterLinks(local)) {
    if (Date.now() > deadline) throw new Error(`links ${left.join(', ')} are still on the runner ${LINKS_GONE_MS / 1000} s after their removal`)
    if (!deletedAgain && Date.now() > deleteAgainAt) {
      deletedAgain = true
      await privileged('ip', ['-force', '-batch', '-'], left.map((name) => `link delete ${name}\n`).join(''), true)
    }
    await sleep(20)
  }
}

/** The cluster's links on the runner: named after its bridge, or in its group. */
export async function clusterLinks(local: LocalState): Promise<string[]> {
  const named = readdirSync('/sys/class/net').filter((name) => name.startsWith(local.bridge))
  return [...new Set([...named, ...(await linksInGroup(local))])]
}

/** The links in the cluster's group. */
async function linksInGroup(local: LocalState): Promise<string[]> {
  const { stdout } = await run(tool('ip'), ['-j', 'link', 'show', 'group', String(linkGroup(local))])
  // iproute2 lists an empty object for each link the group filter left out.
  return (JSON.parse(stdout || '[]') as Array<{ ifname?: string }>).flatMap((link) => (link.ifname ? [link.ifname] : []))
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

/** Every prefix the runner routes (but those of `exceptDevice`): a cluster's subnet must not overlap one. */
async function routedPrefixes(exceptDevice?: string): Promise<string[]> {
  const { stdout } = await run(tool('ip'), ['-j', '-4', 'route', 'show', 'table', 'all'])
  const routes = JSON.parse(stdout || '[]') as Array<{ dst: string; dev?: string }>
  return routes
    .filter((route) => route.dst !== 'default' && route.dev !== exceptDevice)
    .map((route) => (route.dst.includes('/') ? route.dst : `${route.dst}/32`))
}
