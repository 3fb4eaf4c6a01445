import { parse as parseYaml } from 'yaml'
import { checkMachineName } from './names.js'
import { splitOptionLines } from './option-lines.js'

// The nodes to create: planned from `managers`/`workers`, or read from the `nodes` YAML list.

export type Role = 'manager' | 'worker'

export interface NodeSpec {
  name: string
  role: Role
  /** docker-machine `create` flags of this node: the role's opts, then the node's own. */
  createOpts: string[]
}

export function planNodes(clusterName: string, managers: number, workers: number, roleOpts: Record<Role, string[]>): NodeSpec[] {
  const make = (role: Role, count: number): NodeSpec[] =>
    Array.from({ length: count }, (_, i) => ({ name: `${clusterName}-${role}-${i + 1}`, role, createOpts: [...roleOpts[role]] }))
  return [...make('manager', managers), ...make('worker', workers)]
}

export function parseNodeList(text: string, clusterName: string, roleOpts: Record<Role, string[]>): NodeSpec[] {
  let items: unknown
  try {
    items = parseYaml(text)
  } catch (error) {
    throw new Error(`input \`nodes\`: not valid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error })
  }
  if (!Array.isArray(items) || items.length === 0) {
    throw new Error('input `nodes`: expected a YAML list with one item per node, each with a `role`')
  }
  const counters: Record<Role, number> = { manager: 0, worker: 0 }
  const nodes = items.map((item: unknown, index): NodeSpec => {
    const where = `input \`nodes\`, item ${index + 1}`
    if (typeof item !== 'object' || item === null) throw new Error(`${where}: expected a mapping with \`role\`, \`name\`, \`opts\``)
    const { role, name, opts, ...rest } = item as Record<string, unknown>
    if (Object.keys(rest).length) throw new Error(`${where}: unknown key \`${Object.keys(rest)[0]}\`; the keys are role, name, opts`)
    if (role !== 'manager' && role !== 'worker') throw new Error(`${where}: \`role\` must be manager or worker`)
    if (name !== undefined && typeof name !== 'string') throw new Error(`${where}: \`name\` must be a machine name (a string)`)
    const nodeName = name ?? `${clusterName}-${role}-${++counters[role]}`
    checkMachineName(nodeName, `nodes\`, item ${index + 1}, \`name`)
    return { name: nodeName, role, createOpts: [...roleOpts[role], ...splitOptionLines(nodeOptsText(opts, where), `nodes[${index}].opts`)] }
  })
  const managers = nodes.filter((node) => node.role === 'manager')
  if (managers.length === 0) throw new Error('input `nodes`: at least one node must have `role: manager`')
  const names = new Set<string>()
  for (const node of nodes) {
    if (names.has(node.name)) throw new Error(`input \`nodes\`: the name "${node.name}" is used twice`)
    names.add(node.name)
  }
  return [...managers, ...nodes.filter((node) => node.role === 'worker')]
}

/** A node's `opts`: create flags, one per line, as a block of text or as a list of lines. */
function nodeOptsText(opts: unknown, where: string): string {
  const isLine = (value: unknown) => typeof value === 'string' || typeof value === 'number'
  if (opts === undefined || opts === null) return ''
  if (isLine(opts)) return String(opts)
  if (Array.isArray(opts) && opts.every(isLine)) return opts.join('\n')
  throw new Error(`${where}: \`opts\` must be create flags, one per line, as text or as a list of strings`)
}
