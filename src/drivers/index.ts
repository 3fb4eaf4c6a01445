import { LOCAL_DRIVER } from '../inputs.js'
import type { Driver } from './driver.js'
import { localDriver } from './local/index.js'
import { machineDriver } from './machine/index.js'

/** Every driver name but `local` is a docker-machine driver. */
export function driverFor(name: string): Driver {
  return name === LOCAL_DRIVER ? localDriver : machineDriver
}
