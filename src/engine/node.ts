import type { Role } from '../inputs/node-list.js'

/**
 * A node whose engine answers on `dockerHost` over TLS with the run's client certificate. It has
 * two addresses, equal where the network is flat: `ip`, where the runner reaches its engine, and
 * `advertiseIp`, where the other nodes reach it (a cloud's public and private address).
 */
export interface EngineNode {
  name: string
  role: Role
  ip: string
  advertiseIp: string
  dockerHost: string
}
