import * as core from '@actions/core'
import { Engine, type EngineTls, type SwarmInspect } from '../engine/api.js'
import type { EngineNode } from '../engine/node.js'
import { readClientTls } from '../engine/tls.js'
import type { SwarmIdentity } from '../state/cluster.js'
import { Deadline, GiveUp, pollUntil } from '../tools/wait.js'
import { initSwarm, joinSwarm, type InitOptions } from './join.js'
import { CLUSTER_LABEL, joinAddress, waitForReady, type Swarm } from './members.js'

/** How long workers wait at most for the managers to be in the swarm's raft before they join. */
const WORKERS_WAIT_MS = 1000

export interface FormOptions extends InitOptions {
  /** The cluster's name, which the swarm carries as a label (CLUSTER_LABEL). */
  name: string
  /** How many managers the swarm is to have. */
  managers: number
  /** Called once the swarm exists, before any node joins it. */
  onInitialised: (swarm: SwarmIdentity) => void
}

/**
 * Forms the swarm while the driver is still making nodes: the first manager initialises it as soon
 * as its engine answers, and every other node joins as soon as its own engine answers.
 */
export class SwarmFormation {
  private readonly engines = new Map<string, Engine>()
  /** Each node's swarm node ID, once it is in the swarm. */
  private readonly nodeIds = new Map<string, string>()
  private readonly work: Array<Promise<void>> = []
  private readonly initialised: Promise<Initialised>
  private settleInit: { resolve: (value: Initialised) => void; reject: (error: Error) => void } | undefined
  private readonly started = Date.now()
  private stopping = false
  private initialising: Promise<void> | undefined
  private managersSeated: Promise<void> | undefined

  private constructor(
    private readonly leaderName: string,
    private readonly tls: EngineTls,
    private readonly options: FormOptions
  ) {
    this.initialised = new Promise((resolve, reject) => (this.settleInit = { resolve, reject }))
    // Awaited by every join and by finish; a failure before then must not end the process.
    this.initialised.catch(() => undefined)
  }

  static async start(leaderName: string, options: FormOptions): Promise<SwarmFormation> {
    return new SwarmFormation(leaderName, await readClientTls(options.client), options)
  }

  /** A node whose engine exists: it initialises or joins the swarm in the background, once its engine answers. */
  add(node: EngineNode, engineAnswers = false): void {
    if (this.engines.has(node.name)) return
    const engine = new Engine(node.dockerHost, this.tls)
    this.engines.set(node.name, engine)
    const answering = engineAnswers ? Promise.resolve() : waitForEngine(node, engine, this.options.deadline, () => this.stopping)
    const work = node.name === this.leaderName ? (this.initialising = this.initialise(node, engine, answering)) : this.join(node, engine, answering)
    work.catch(() => undefined)
    this.work.push(work)
  }

  /** Every node made: waits until each has joined and is Ready. */
  async finish(nodes: EngineNode[]): Promise<Swarm> {
    nodes.forEach((node) => this.add(node))
    await Promise.all(this.work)
    const { tokens, managerAddress } = await this.initialised
    this.step('every node joined')
    const ids = nodes.map((node) => this.nodeIds.get(node.name)!)
    const listed = await waitForReady(nodes, ids, this.engines.get(this.leaderName)!, this.options.deadline)
    this.step('every node Ready')
    return {
      members: nodes.map((node, i) => ({ ...node, id: ids[i], status: listed.get(ids[i])?.Status.State ?? 'unknown' })),
      managerIp: nodes[0].ip,
      managerAddress,
      workerToken: tokens.Worker,
      managerToken: tokens.Manager
    }
  }

  /** Stops the formation after a failure: waits and joins end at once; an init under way finishes first, then every request ends. */
  async close(): Promise<void> {
    this.stopping = true
    const leader = this.engines.get(this.leaderName)
    for (const engine of this.engines.values()) if (engine !== leader) engine.close()
    // A swarm already being initialised is let finish (its init is bounded), so that it is recorded
    // and post can take the hosts that outlive it (none, generic) out of it.
    await this.initialising?.catch(() => undefined)
    leader?.close()
  }

  private async initialise(leader: EngineNode, engine: Engine, answering: Promise<void>): Promise<void> {
    try {
      await answering
      this.step(`${leader.name} answered`)
      await initSwarm(leader, this.options)
      const [inspected] = await Promise.all([engine.swarm(), this.noteNodeId(leader, engine)])
      const { ID: id, JoinTokens: tokens } = inspected
      core.setSecret(tokens.Worker)
      core.setSecret(tokens.Manager)
      await engine.updateSwarm(inspected.Version.Index, {
        ...inspected.Spec,
        Labels: { ...inspected.Spec.Labels, [CLUSTER_LABEL]: this.options.name }
      })
      const managerAddress = joinAddress(leader)
      this.options.onInitialised({ id, managerAddress })
      this.step('swarm initialised')
      core.info(`swarm initialised on ${leader.name} (${managerAddress}); the other nodes join as their engines answer`)
      this.settleInit!.resolve({ tokens, managerAddress })
    } catch (error) {
      this.settleInit!.reject(error as Error)
      throw error
    }
  }

  private async join(node: EngineNode, engine: Engine, answering: Promise<void>): Promise<void> {
    await answering
    this.step(`${node.name} answered`)
    const { tokens, managerAddress } = await this.initialised
    const token = node.role === 'manager' ? tokens.Manager : tokens.Worker
    if (node.role === 'worker') await this.seatManagers()
    await joinSwarm(node, engine, { RemoteAddrs: [managerAddress], JoinToken: token }, this.options.deadline)
    await this.noteNodeId(node, engine)
    this.step(`${node.name} joined`)
  }

  /**
   * Waits (at most WORKERS_WAIT_MS) until every manager is a reachable member of the swarm's raft. A
   * manager's join is the slow one (its engine waits half a second for its own control API), and it
   * needs the leader's raft and the runner's CPU first: workers that join at the same moment slow
   * it down, while they join in a moment once it is in.
   */
  private seatManagers(): Promise<void> {
    return (this.managersSeated ??= this.waitForManagers())
  }

  /** One wait for every worker: the leader's node list until it counts every manager reachable. */
  private async waitForManagers(): Promise<void> {
    const leader = this.engines.get(this.leaderName)!
    const seated = async () =>
      (await leader.nodes()).filter((node) => node.ManagerStatus?.Reachability === 'reachable').length >= this.options.managers
    const bound = new Deadline(Math.min(WORKERS_WAIT_MS, this.options.deadline.remainingMs()) / 1000, 'the managers to join before the workers')
    await pollUntil(bound, 'the managers to join', seated, { intervalMs: 25 }).then(
      () => this.step('every manager in the raft: the workers join'),
      () => this.step('the workers join without waiting longer for the managers')
    )
  }

  private async noteNodeId(node: EngineNode, engine: Engine): Promise<void> {
    this.nodeIds.set(node.name, (await engine.info()).Swarm.NodeID)
  }

  private step(what: string): void {
    core.debug(`${what} after ${Date.now() - this.started} ms`)
  }
}

interface Initialised {
  tokens: SwarmInspect['JoinTokens']
  managerAddress: string
}

async function waitForEngine(node: EngineNode, engine: Engine, deadline: Deadline, stopped: () => boolean): Promise<void> {
  const answers = () => {
    // Main gave up (another node failed): stop waiting now.
    if (stopped()) throw new GiveUp(`the engine of ${node.name} was not waited for: the swarm's formation was stopped`)
    return engine.ping(2000)
  }
  await pollUntil(deadline, `the engine of ${node.name} to answer`, answers, { intervalMs: 100 })
}
