import { parseBoolean, parseChoice, parseInteger, parseList, type InputReader } from './values.js'

// The fault action's inputs (fault/action.yml), parsed and checked before anything changes.

export const FAULTS = ['stop', 'start', 'pause', 'resume', 'partition', 'heal', 'drain', 'activate'] as const
export type Fault = (typeof FAULTS)[number]

export interface FaultInputs {
  name: string
  nodes: string[]
  fault: Fault
  from: string[]
  wait: boolean
  timeoutSeconds: number
}

export function parseFaultInputs(read: InputReader): FaultInputs {
  if (!read('fault').trim()) throw new Error(`input \`fault\`: which fault, one of ${FAULTS.join(', ')}`)
  const fault = parseChoice(read, 'fault', FAULTS)
  const nodes = parseList(read, 'nodes')
  if (!nodes.length && fault !== 'heal') throw new Error(`input \`nodes\`: which nodes to ${fault}, one per line or comma-separated`)
  const from = parseList(read, 'from')
  if (from.length && fault !== 'partition') throw new Error(`input \`from\`: only \`partition\` takes it, not \`${fault}\``)
  return {
    name: read('name').trim(),
    nodes,
    fault,
    from,
    wait: parseBoolean(read, 'wait', true),
    timeoutSeconds: parseInteger(read, 'timeout', 60, 1, 3600)
  }
}
