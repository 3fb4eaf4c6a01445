import type { Inputs, NodeSpec, Role } from '../inputs.js'
import type { ClusterState } from '../state.js'
import type { RunTls } from '../tls.js'
import type { Deadline } from '../wait.js'

/** A node whose engine answers on `dockerHost` over TLS with the run's client certificate. */
export interface EngineNode {
  name: string
  role: Role
  ip: string
  dockerHost: string
}

export interface CreateContext {
  inputs: Inputs
  state: ClusterState
  /** Saves `state` after the driver recorded in it what it is about to create. */
  saveState: () => void
  tls: RunTls
  deadline: Deadline
}

/** Where nodes come from. Every driver creates engines; the swarm forms the same way for all. */
export interface Driver {
  /** Fails, naming what is missing and what to do, before anything is created. */
  preflight(inputs: Inputs): Promise<void>
  /** Installs what the driver needs on the runner (docker-machine, VirtualBox), in its own phase. */
  prepare?(context: CreateContext): Promise<void>
  create(nodes: NodeSpec[], context: CreateContext): Promise<EngineNode[]>
}

/** Removes what a driver recorded in the state; returns what it could not remove. */
export type Remover = (state: ClusterState) => Promise<string[]>
