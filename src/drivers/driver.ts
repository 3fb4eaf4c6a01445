import type { EngineTls } from '../engine/api.js'
import type { RunnerImage } from '../engine/image-identity.js'
import type { EngineNode } from '../engine/node.js'
import type { ClientCertDir, RunTls } from '../engine/tls.js'
import type { Inputs, NodeSpec } from '../inputs/index.js'
import type { ClusterState } from '../state/cluster.js'
import type { ClusterOwner } from '../state/owner.js'
import type { ClusterRecord } from '../state/record.js'
import type { Deadline } from '../tools/wait.js'

export interface CreateContext<DriverState> {
  inputs: Inputs
  state: ClusterState<DriverState>
  /** Saves `state` after the driver recorded in it what it is about to create. */
  saveState: () => void
  tls: RunTls
  deadline: Deadline
  /**
   * Called as soon as a node's engine exists, so that the swarm forms while other nodes are still
   * being made. `engineAnswers`: the driver has just seen the engine answer, so the swarm need not
   * wait for it again.
   */
  nodeReady: (node: EngineNode, seen?: { engineAnswers: boolean }) => void
  /**
   * The images main loads into every node afterwards, skipping a node that holds the same image ID:
   * a driver that can put them in faster while it creates the nodes may do so.
   */
  images?: RunnerImage[]
}

/** Where nodes come from, and where they go. The swarm forms the same way for every driver. */
export interface Driver<DriverState = unknown> {
  /** Fails, naming what is missing and what to do, before anything is created. */
  preflight(inputs: Inputs): Promise<void>
  /**
   * Claims the cluster's host-wide names for this run with a create that only one run can make,
   * before anything of the cluster is created or written, and only then records them in `state`
   * (`saveState`): a run that loses the claim records nothing, so its post removes nothing of the
   * cluster of the run that won. Throws, naming who holds them, when they are taken.
   */
  claim?(inputs: Inputs, state: ClusterState<DriverState>, saveState: () => void): Promise<void>
  /** Installs what the driver needs on the runner (docker-machine, VirtualBox), in its own phase. */
  prepare?(context: CreateContext<DriverState>): Promise<void>
  create(nodes: NodeSpec[], context: CreateContext<DriverState>): Promise<EngineNode[]>
  /** Removes everything the driver recorded in the state, files included; returns what it could not remove. */
  remove(state: ClusterState<DriverState>): Promise<string[]>
  /**
   * The nodes of a cluster kept under `inputs.name` by an earlier run, the first manager first, or
   * undefined when there is none. Changes nothing; the caller checks the swarm's health.
   */
  findKept?(lookup: KeptLookup): Promise<EngineNode[] | undefined>
  /** A kept cluster found healthy and in use again: whatever bounds its life (a cloud expiry) counts from now. */
  renewKept?(inputs: Inputs): Promise<void>
  /** Removes a kept cluster by its name from any job, without the state of the job that made it. */
  destroyKept?(request: DestroyRequest): Promise<Removal>
  /** The end of a node's engine log, for diagnostics: at most `maxBytes`, read within `timeoutMs`. */
  engineLog?(state: ClusterState<DriverState>, node: EngineNode, limits: EngineLogLimits): Promise<string>
  /** The faults the driver injects into a cluster of docker-machine driver (or `local`) `driver` (the fault action). */
  faultsSupported?(driver: string): NodeFault[]
  /** Each node's faults now, by node name: found on the hosts, so that a cancelled fault counts too. */
  faultState?(state: ClusterState<DriverState>, nodes: EngineNode[]): Promise<Map<string, NodeFaultState>>
  /**
   * Injects (or undoes) a fault; the request was checked against faultState. Post and destroy undo
   * whatever is left. Returns the nodes a `start` brought back at another address, with it.
   */
  injectFault?(state: ClusterState<DriverState>, request: FaultRequest): Promise<EngineNode[] | void>
}

/** What a driver does to its nodes itself; `drain` and `activate` are the swarm's own, the same for every driver. */
export const NODE_FAULTS = ['stop', 'start', 'pause', 'resume', 'partition', 'heal'] as const
export type NodeFault = (typeof NODE_FAULTS)[number]

export interface NodeFaultState {
  stopped: boolean
  paused: boolean
  partitioned: boolean
}

export interface FaultRequest {
  fault: NodeFault
  /** The nodes to act on; `heal` with none heals every partition. */
  nodes: EngineNode[]
  /** `partition`: the other side. */
  from: EngineNode[]
  /** The run's client (`start`: the engine is waited for until it answers). */
  client: ClientCertDir
  deadline: Deadline
}

export interface EngineLogLimits {
  maxBytes: number
  timeoutMs: number
}

export type DriverFor = (name: string) => Promise<Driver>

export interface KeptLookup {
  inputs: Inputs
  /** This run's repository and user: a kept cluster of anyone else's is refused. */
  owner: ClusterOwner
  /** Where the kept cluster keeps its files on this runner (clusterDir(name, true)). */
  dir: string
  /** The record a run on this runner left in `dir`, if any. */
  record?: ClusterRecord
  /** The client to probe engines with: the `tls-*` inputs', or the one kept in `dir`. */
  tls?: EngineTls
}

export interface DestroyRequest {
  name: string
  driver: string
  /** This run's repository and user: only their cluster of this name is destroyed. */
  owner: ClusterOwner
  /** Hosts that outlive the cluster (`none`, `generic`): as main's `nodes` input gave them. */
  nodes: NodeSpec[]
  /** `create` flags for every node (main's `driver-opts`): where `none`/`generic` hosts' engines are. */
  driverOpts: string[]
  /** The client to reach the hosts' engines with. */
  tls?: EngineTls
  /** amazonec2: the `aws-region` input as given. */
  awsRegion: string
}

export interface Removal {
  removed: string[]
  leftovers: string[]
}
