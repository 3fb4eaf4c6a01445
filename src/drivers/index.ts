import { AWS_DRIVER, LOCAL_DRIVER } from '../inputs/index.js'
import type { Driver } from './driver.js'

/**
 * `local` and `aws` are the action's own drivers; every other name is a docker-machine driver. Each loads when asked for: a step loads
 * only its own driver's code (and the packages it needs), which keeps the action's start short.
 */
export async function driverFor(name: string): Promise<Driver> {
  if (name === LOCAL_DRIVER) return (await import('./local/index.js')).localDriver
  if (name === AWS_DRIVER) return (await import('./aws/index.js')).awsDriver
  return (await import('./machine/index.js')).machineDriver
}
