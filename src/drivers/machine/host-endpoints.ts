import { ENGINE_PORT } from '../../engine/api.js'
import type { EngineNode } from '../../engine/node.js'
import type { NodeSpec } from '../../inputs/index.js'
import { flagValue } from './cli.js'

// Hosts that docker-machine does not create (`none`, `generic`) are where their flags say: a later
// run finds a kept cluster's engines there, and a destroy by name reaches them, without docker-machine.

export const HOSTS_OUTLIVE_REMOVAL = ['none', 'generic']

/** The node's engine, from its create flags (the node's own after `driver-opts`: the last one wins). */
export function hostEndpoint(driver: string, node: NodeSpec, driverOpts: string[]): EngineNode {
  const opts = [...driverOpts, ...node.createOpts]
  const where = `input \`nodes\`, node ${node.name}`
  if (driver === 'none') {
    const url = flagValue(opts, '--url')
    if (!url) throw new Error(`${where}: no --url: a \`none\` host's engine is where --url says`)
    const ip = new URL(url).hostname
    return { name: node.name, role: node.role, ip, advertiseIp: ip, dockerHost: url }
  }
  if (driver === 'generic') {
    const ip = flagValue(opts, '--generic-ip-address')
    if (!ip) throw new Error(`${where}: no --generic-ip-address`)
    const port = flagValue(opts, '--generic-engine-port') ?? String(ENGINE_PORT)
    return { name: node.name, role: node.role, ip, advertiseIp: ip, dockerHost: `tcp://${ip}:${port}` }
  }
  throw new Error(`driver ${driver}: its hosts are not given by flags`)
}
