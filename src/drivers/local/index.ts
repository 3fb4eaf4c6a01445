import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isRoot, run } from '../../command.js'
import { Leftovers } from '../../leftovers.js'
import type { Driver } from '../driver.js'
import { removeCgroups } from './cgroups.js'
import { NETNS_DIR, noteNetnsMount, undoHostChanges } from './host-changes.js'
import { missingTools, privileged } from './host-tools.js'
import { localNames, type LocalState } from './names.js'
import { attachNode, createNetwork, removeNetwork } from './network.js'
import { startNode, stopNode } from './node.js'
import { nodeResolvConf } from './resolv-conf.js'

// Each node: a dockerd in its own namespaces on a private bridge of the cluster (see node.ts).

/** The local driver's files under the cluster's dir; engines running as root write into `nodes`. */
function localPaths(dir: string) {
  return { nodes: path.join(dir, 'nodes'), resolvConf: path.join(dir, 'resolv.conf') }
}

export const localDriver: Driver<LocalState> = {
  async preflight(inputs) {
    if (process.platform !== 'linux') {
      throw new Error(
        `the \`local\` driver needs a Linux runner, this one is ${process.platform}; use \`runs-on: ubuntu-latest\`, or a docker-machine driver such as \`virtualbox\``
      )
    }
    const missing = missingTools()
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
    context.state.driverState = local
    context.saveState()
    await noteNetnsMount()
    const network = await createNetwork(local, context.saveState)
    const paths = localPaths(context.state.dir)
    await writeFile(paths.resolvConf, await nodeResolvConf())
    // Every start settles (each is bounded) before a failure is reported: nothing of main is
    // still creating things when post starts removing them.
    const started = await Promise.allSettled(
      nodes.map(async (node, index) => {
        const ip = network.nodeIp(index)
        await attachNode(local, index, ip, network.gateway)
        const started = await startNode({
          node,
          ip,
          netns: local.netns[index],
          cgroupParent: local.cgroupParent,
          resolvConf: paths.resolvConf,
          dir: path.join(paths.nodes, node.name),
          tls: context.tls,
          deadline: context.deadline
        })
        context.nodeReady(started)
        return started
      })
    )
    const failed = started.filter((result) => result.status === 'rejected')
    if (failed.length) throw new Error(failed.map((result) => (result.reason as Error).message).join('\n'))
    return started.map((result) => (result as PromiseFulfilledResult<Awaited<ReturnType<typeof startNode>>>).value)
  },

  async remove(state) {
    const left = new Leftovers()
    const local = state.driverState
    const existing = local ? local.netns.filter((netns) => existsSync(path.join(NETNS_DIR, netns))) : []
    await Promise.all(existing.map((netns) => left.attempt(`the processes of node namespace ${netns}`, () => stopNode(netns))))
    // Once no process of the cluster runs, its network, cgroups and files are independent of each other.
    const { nodes } = localPaths(state.dir)
    await Promise.all([
      local && removeNetwork(local, existing, left),
      local && left.attempt(`cgroups ${local.cgroupParent}`, () => removeCgroups(local.cgroupParent)),
      existsSync(nodes) && left.attempt(nodes, () => privileged('rm', ['-rf', '--', nodes]))
    ])
    // Last: it restores the host only when no other cluster's bridge is left, this one's included.
    if (local) await left.attempt('the host settings changed for the clusters', undoHostChanges)
    return left.items
  }
}
