import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RunnerImage } from '../../engine/image-identity.js'
import type { EngineNode } from '../../engine/node.js'
import { makePrivateDir } from '../../engine/tls.js'
import type { NodeSpec } from '../../inputs/index.js'
import { isRoot, run } from '../../tools/command.js'
import { Leftovers } from '../../tools/leftovers.js'
import { startSave, type ImageSave } from '../../workload/images.js'
import type { Driver } from '../driver.js'
import { freezerHierarchy, removeCgroups } from './cgroups.js'
import { claimNames, heldNames, releaseClaim } from './claim.js'
import { injectLocalFault, localFaultState, thawAll } from './faults.js'
import { NETNS_DIR, noteNetnsMount, undoHostChanges } from './host-changes.js'
import { missingTools, privileged } from './host-tools.js'
import { copyImageStore, loadIntoFirstNode } from './image-store.js'
import { destroyKeptLocal, findKeptLocal } from './kept.js'
import { claimFile, engineCgroup, localNames, localPaths, nodeCgroup, type LocalState } from './names.js'
import { attachNode, createNetwork, removeNetwork, removeNodeLinks, waitLinksGone } from './network.js'
import { killNodes, nodeFiles, startNode, waitExited, writeNodeFiles } from './node.js'
import { readTail } from './read-tail.js'
import { nodeResolvConf } from './resolv-conf.js'

// Each node: a dockerd in its own namespaces on a private bridge of the cluster (see node.ts).

export const localDriver: Driver<LocalState> = {
  // A cluster of the same name already on the runner is refused by the claim on its names.
  async preflight() {
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
  },

  async claim(inputs, state, saveState) {
    const local = localNames(inputs.name, inputs.nodes.length, state.owner!.repository)
    local.claim = await claimNames(inputs.name, local, state.owner!)
    state.driverState = local
    saveState()
  },

  async create(nodes, context) {
    // Claimed and recorded before the cluster's dir was written (claim).
    const local = context.state.driverState!
    await noteNetnsMount()
    const network = await createNetwork(local, context.saveState)
    const paths = localPaths(context.state.dir)
    await writeFile(paths.resolvConf, await nodeResolvConf())
    const nodeDir = (index: number) => path.join(paths.nodes, nodes[index].name)
    const freezer = freezerHierarchy()
    const startOf = (index: number, onSpawned?: () => void) => ({
      node: nodes[index],
      ip: network.nodeIp(index),
      netns: local.netns[index],
      cgroupParent: nodeCgroup(local, index),
      engineCgroup: freezer && path.join(freezer.path, engineCgroup(local, index)),
      resolvConf: paths.resolvConf,
      dir: nodeDir(index),
      tls: context.tls,
      deadline: context.deadline,
      onSpawned
    })
    /** The node's link on the bridge and its files: all its engine needs to start. */
    const prepareAt = (index: number) => {
      const start = startOf(index)
      return Promise.all([attachNode(local, index, start.ip, network.gateway), writeNodeFiles(start)]).then(() => undefined)
    }
    const startAt = async (index: number, onSpawned?: () => void, prepared?: Promise<void>) => {
      await (prepared ?? prepareAt(index))
      const started = await startNode(startOf(index, onSpawned))
      // The swarm forms over the bridge: once its firewall rules are in place.
      network.routing.then(
        () => context.nodeReady(started, { engineAnswers: true }),
        () => undefined
      )
      return started
    }
    const startAll = async (): Promise<EngineNode[]> => {
      const images = context.images ?? []
      if (images.length === 0) return startManagersFirst(nodes, startAt)

      // With images: the first node starts and loads them, the others start with its image store. The
      // runner's engine stages its export while the first engine starts.
      return startSharingFirst(images, startSave(images))
    }
    /**
     * The first node starts and loads the images; the others start with its image store (hard
     * links), so that 7 nodes take as long as 1. Their links and files are made meanwhile.
     */
    const startSharingFirst = async (images: RunnerImage[], save: ImageSave): Promise<EngineNode[]> => {
      const rest = nodes.slice(1).map((_, i) => i + 1)
      const prepared = new Map(rest.map((index) => [index, prepareAt(index)]))
      for (const preparing of prepared.values()) preparing.catch(() => undefined) // awaited by startAt
      let first: EngineNode[]
      try {
        first = settled(await Promise.allSettled([startAt(0)]))
      } catch (error) {
        save.kill('SIGKILL')
        await Promise.allSettled(prepared.values())
        throw error
      }
      const store = await loadIntoFirstNode(first[0], nodeFiles(nodeDir(0)).dataRoot, images, context.tls.client, context.deadline, save).catch(
        async (error: Error) => {
          await Promise.allSettled(prepared.values())
          throw error
        }
      )
      const copying = Date.now()
      await Promise.all(rest.map(async (index) => (await makePrivateDir(nodeDir(index)), copyImageStore(store, nodeFiles(nodeDir(index)).dataRoot))))
      if (rest.length)
        core.info(
          `the image store of ${nodes[0].name} shared with ${rest.length} node(s) (hard links) in ${((Date.now() - copying) / 1000).toFixed(2)} s`
        )
      return [...first, ...settled(await Promise.allSettled(rest.map((index) => startAt(index, undefined, prepared.get(index)))))]
    }
    // Every start (each is bounded) and the firewall rules settle before a failure is reported:
    // nothing of main is still creating things when post starts removing them.
    const started = await startAll().finally(() => network.routing.catch(() => undefined))
    await network.routing
    return started
  },

  async remove(state) {
    const left = new Leftovers()
    const local = heldNames(state.driverState)
    const existing = local ? local.netns.filter((netns) => existsSync(path.join(NETNS_DIR, netns))) : []
    // The links go first: deleting one waits until the node's processes let go of it, which they do
    // as they die. The kernel unlists them at once.
    const unlinking = local && left.attempt("the nodes' links", () => removeNodeLinks(local))
    let killed: string[] = []
    // A frozen process (fault `pause`) cannot die: every node is thawed first.
    if (local) await left.attempt('the paused nodes to thaw', () => thawAll(local))
    await left.attempt(`the processes of node namespaces ${existing.join(', ')}`, async () => (killed = await killNodes(existing)))
    // Once every process is killed, the network and the files can go while the processes exit (a
    // namespace lives on until its last process has); the cgroups only once they have.
    const { nodes } = localPaths(state.dir)
    await Promise.all([
      unlinking,
      local && removeNetwork(local, existing, left),
      existsSync(nodes) && left.attempt(nodes, () => privileged('rm', ['-rf', '--', nodes])),
      left
        .attempt('the killed processes to exit', () => waitExited(killed))
        .then(() => local && left.attempt(`cgroups ${local.cgroupParent}`, () => removeCgroups(local.cgroupParent)))
    ])
    if (local) await left.attempt("the cluster's links to go", () => waitLinksGone(local))
    // Last: it restores the host only when no other cluster's bridge is left, this one's included.
    if (local) await left.attempt('the host settings changed for the clusters', undoHostChanges)
    // The names stay claimed while anything of the cluster is left: no other run makes a cluster into its remains.
    if (local && left.items.length)
      left.items.push(`${claimFile(local)}: delete it once the above are removed (it keeps the cluster's names from other runs)`)
    else if (local) await left.attempt(claimFile(local), () => releaseClaim(local))
    return left.items
  },

  findKept: findKeptLocal,

  destroyKept(request) {
    return destroyKeptLocal(request.name, request.owner, (state) => localDriver.remove(state))
  },

  faultsSupported: () => ['stop', 'start', 'pause', 'resume', 'partition', 'heal'],
  faultState: localFaultState,
  injectFault: injectLocalFault,

  async engineLog(state, node, limits) {
    // The engine's stdout and stderr, which main opened for it as the runner user: readable without root.
    return readTail(nodeFiles(path.join(localPaths(state.dir).nodes, node.name)).log, limits.maxBytes)
  }
}

/**
 * The swarm waits on the first manager (its engine, then \`swarm init\`) and then on the other
 * managers' joins; workers join in a moment. Every engine starting at once on a runner with few
 * cores slows the first one down (7 engines on 2 cores: about 0.9 s instead of 0.3 s), so the first
 * manager starts alone, the other managers once its engine runs, and the workers once it answers:
 * they are up by the time the swarm is initialised. The nodes come back in their given order.
 */
async function startManagersFirst(nodes: NodeSpec[], startAt: (index: number, onSpawned?: () => void) => Promise<EngineNode>): Promise<EngineNode[]> {
  const indexes = nodes.map((_, index) => index)
  const [leader, ...otherManagers] = indexes.filter((index) => nodes[index].role === 'manager')
  let spawned = () => {}
  const leaderSpawned = new Promise<void>((resolve) => (spawned = resolve))
  const leaderStart = startAt(leader, spawned)
  const starts = new Map([[leader, leaderStart]])
  const leaderFailed = leaderStart.then(
    () => false,
    () => true
  )
  // Without the first manager the swarm cannot form: no more nodes are made once it failed.
  if (!(await Promise.race([leaderSpawned.then(() => false), leaderFailed]))) {
    for (const index of otherManagers) starts.set(index, startAt(index))
    if (!(await leaderFailed)) for (const index of indexes.filter((index) => !starts.has(index))) starts.set(index, startAt(index))
  }
  return settled(await Promise.allSettled([...starts.keys()].sort((a, b) => a - b).map((index) => starts.get(index)!)))
}

/** The started nodes, or every start's error together. */
function settled(results: PromiseSettledResult<EngineNode>[]): EngineNode[] {
  const failed = results.filter((result) => result.status === 'rejected')
  if (failed.length) throw new Error(failed.map((result) => (result.reason as Error).message).join('\n'))
  return results.map((result) => (result as PromiseFulfilledResult<EngineNode>).value)
}
