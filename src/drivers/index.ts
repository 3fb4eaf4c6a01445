import { LOCAL_DRIVER } from '../inputs.js'
import type { Driver, Remover } from './driver.js'
import { localDriver, removeLocal } from './local.js'
import { machineDriver, removeMachines } from './machine.js'

export function driverFor(name: string): Driver {
  return name === LOCAL_DRIVER ? localDriver : machineDriver
}

export function removerFor(name: string): Remover {
  return name === LOCAL_DRIVER ? removeLocal : removeMachines
}
