import * as core from '@actions/core'
import type { LocalState } from './drivers/local.js'
import type { MachineState } from './drivers/machine.js'

/**
 * What main created, saved as soon as it is about to exist, so that post can remove
 * it after a failure or a cancel. Post reads only this: never the inputs.
 */
export interface ClusterState {
  name: string
  driver: string
  cleanup: boolean
  /** RUNNER_TEMP/setup-swarm/<name>: certificates, node data, machine storage. */
  dir: string
  /** The swarm's join address, recorded before any node joins: post leaves only this swarm. */
  managerAddress?: string
  local?: LocalState
  machine?: MachineState
}

const KEY = 'cluster'

export function saveState(state: ClusterState): void {
  core.saveState(KEY, JSON.stringify(state))
}

export function loadState(): ClusterState | undefined {
  const text = core.getState(KEY)
  return text ? (JSON.parse(text) as ClusterState) : undefined
}
