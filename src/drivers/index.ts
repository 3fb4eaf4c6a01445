import { LOCAL_DRIVER } from '../inputs/index.js'
import type { Driver } from './driver.js'

/**
 * Every driver name but `local` is a docker-machine driver. Each loads when asked for: a step loads
 * only its own driver's code (and the packages it needs), which keeps the action's start short.
 */
export async function driverFor(name: string): Promise<Driver> {
  return name === LOCAL_DRIVER ? (await import('./local/index.js')).localDriver : (await import('./machine/index.js')).machineDriver
}
