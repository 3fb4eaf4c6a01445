import * as core from '@actions/core'
import { existsSync, readFileSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { privileged } from './host-tools.js'
import { PREFIX, TAG_PREFIX } from './names.js'

// Host-wide settings that clusters need, changed once for all of them and marked, so that the last
// cluster out restores them, whichever cluster changed them.

export const NETNS_DIR = '/run/netns'
const HOST_CHANGES_DIR = '/run/setup-swarm'
type HostChange = 'netns-mount' | 'ip-forward'

/** iproute2 makes /run/netns a mount on its first `ip netns add`: note it before the first one. */
export async function noteNetnsMount(): Promise<void> {
  if (!isMountPoint(NETNS_DIR)) await markHostChange('netns-mount')
}

/** Nodes reach the internet through the host's routing. */
export async function enableIpForward(): Promise<void> {
  if ((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim() === '1') return
  await markHostChange('ip-forward')
  await privileged('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1'])
}

async function markHostChange(change: HostChange): Promise<void> {
  // A directory: `mkdir -p` does not mind another cluster making the same marker at the same moment.
  await privileged('mkdir', ['-p', path.join(HOST_CHANGES_DIR, change)])
}

/** Restores what was changed, unless another cluster still runs on this runner. */
export async function undoHostChanges(): Promise<void> {
  if (!existsSync(HOST_CHANGES_DIR) || (await otherClustersRunning())) return
  const changes = (await readdir(HOST_CHANGES_DIR)) as HostChange[]
  if (changes.includes('ip-forward')) {
    const forwarding = await othersForwarding()
    if (forwarding) core.info(`IP forwarding stays on: ${forwarding} came to rely on it while the cluster ran`)
    else await privileged('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=0'])
  }
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

/**
 * What forwards on this runner besides setup-swarm: a bridge of another tool (the runner's Docker,
 * kind, libvirt) or a FORWARD or NAT rule not tagged as ours. Forwarding was off before the first
 * cluster turned it on; turning it off under whatever started meanwhile would cut its traffic, and
 * leaving it on is what that tool's own start would have done.
 */
async function othersForwarding(): Promise<string | undefined> {
  const bridges = (await readdir('/sys/class/net')).filter((name) => !name.startsWith(PREFIX) && existsSync(`/sys/class/net/${name}/bridge`))
  if (bridges.length) return `bridge ${bridges.join(', ')}`
  const rules = (await privileged('iptables-save', [])).stdout
    .split('\n')
    .filter((line) => /^-A (FORWARD|POSTROUTING) /.test(line) && !line.includes(TAG_PREFIX))
  return rules.length ? `firewall rule "${rules[0]}"` : undefined
}

async function otherClustersRunning(): Promise<boolean> {
  // A cluster is its bridge; its nodes' veths carry the same prefix but are no bridges.
  return (await readdir('/sys/class/net')).some((name) => name.startsWith(PREFIX) && existsSync(`/sys/class/net/${name}/bridge`))
}

function isMountPoint(dir: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === dir)
}
