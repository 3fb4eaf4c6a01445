import * as core from '@actions/core'
import { isIPv4 } from 'node:net'

/** Services that answer with the caller's public IPv4 address and nothing else. */
export const ADDRESS_SERVICES = ['https://checkip.amazonaws.com', 'https://api.ipify.org']
const TIMEOUT_MS = 5000

export interface AddressOptions {
  fetch?: typeof fetch
  services?: string[]
  timeoutMs?: number
}

/** The runner's public IPv4 address, asked of each service in turn, each bounded by `timeoutMs`. */
export async function runnerPublicAddress(options: AddressOptions = {}): Promise<string> {
  const { fetch: get = fetch, services = ADDRESS_SERVICES, timeoutMs = TIMEOUT_MS } = options
  const failures: string[] = []
  for (const service of services) {
    try {
      const response = await get(service, { signal: AbortSignal.timeout(timeoutMs) })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      const address = (await response.text()).trim()
      if (!isIPv4(address)) throw new Error(`answered "${address.slice(0, 40)}", not an IPv4 address`)
      core.info(`the runner's public address is ${address} (from ${service})`)
      return address
    } catch (error) {
      failures.push(`${service}: ${(error as Error).message}`)
    }
  }
  throw new Error(
    `could not find the runner's public IPv4 address (${failures.join('; ')}); set the input \`allowed-cidrs\` ` +
      'to the CIDRs that may reach the nodes on SSH (22) and Docker (2376), e.g. 203.0.113.7/32'
  )
}

/** Who may reach the nodes: `allowed-cidrs` when given, else the runner's public address /32. */
export async function adminCidrs(allowedCidrs: string[], options: AddressOptions = {}): Promise<string[]> {
  if (allowedCidrs.length) return allowedCidrs
  return [`${await runnerPublicAddress(options)}/32`]
}
