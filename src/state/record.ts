import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { EngineNode } from '../engine/node.js'
import { checkClusterName, checkDriverName, checkMachineName } from '../inputs/names.js'
import { clusterDir, type ClusterState } from './cluster.js'
import { checkOwner, type ClusterOwner } from './owner.js'

// What a later step needs to find this cluster on the runner (the diagnose action): kept in the
// cluster's dir beside the client certificates, and gone with them in post. Nothing secret: no join
// token, no key, only names, addresses and the driver's record of what it created.

export interface ClusterRecord {
  name: string
  driver: string
  state: ClusterState
  /** Every node, with its swarm node ID once the swarm formed. */
  nodes: Array<EngineNode & { id?: string }>
  stack?: string
}

const RECORD_FILE = 'cluster.json'

export async function writeClusterRecord(record: ClusterRecord): Promise<void> {
  await writeFile(path.join(record.state.dir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 })
}

/** Where every cluster of this job keeps its dir (kept clusters are elsewhere: clusterDir). */
export const clustersRoot = (): string => path.dirname(clusterDir('any'))

/**
 * The record in a cluster's dir, or undefined when there is none. What it says is used to read and
 * remove files and to run docker-machine, so a record that does not describe the dir it is in (its
 * name, its dir, its nodes' names) is refused: it was written by something else than main.
 */
export async function readClusterRecord(dir: string): Promise<ClusterRecord | undefined> {
  const file = path.join(dir, RECORD_FILE)
  const record = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as ClusterRecord)
    .catch(() => undefined)
  if (!record) return undefined
  try {
    if (checkClusterName(record.name) !== path.basename(dir)) throw new Error(`it names cluster "${record.name}"`)
    if (path.resolve(record.state.dir) !== path.resolve(dir)) throw new Error(`it places the cluster in ${record.state.dir}`)
    checkDriverName(record.driver)
    for (const node of record.nodes) checkMachineName(node.name, 'nodes')
  } catch (error) {
    throw new Error(`${file} is not the record of the cluster in ${dir}: ${(error as Error).message}; refusing it`, { cause: error })
  }
  return record
}

/**
 * The cluster named `name` (this job's, or a kept one), or the only one of this job when no name is
 * given: `owner`'s only, as diagnostics read its nodes' logs into an artifact of the run's repository.
 */
export async function findCluster(name: string, owner: ClusterOwner, step = 'diagnose'): Promise<ClusterRecord> {
  const ownedBy = (record: ClusterRecord) => (checkOwner(`cluster "${record.name}" (${record.state.dir})`, record.state.owner, owner), record)
  const root = clustersRoot()
  if (name) {
    const record = (await readClusterRecord(clusterDir(name))) ?? (await readClusterRecord(clusterDir(name, true)))
    if (record) return ownedBy(record)
    throw new Error(
      `no cluster named "${name}" on this runner (${clusterDir(name)}, ${clusterDir(name, true)}): was its setup-swarm step run in this job, and has its nodes?`
    )
  }
  const dirs = await readdir(root).catch(() => [] as string[])
  const records = (await Promise.all(dirs.map((dir) => readClusterRecord(path.join(root, dir)).catch(() => undefined)))).filter(
    (record) => record !== undefined
  )
  if (records.length === 1) return ownedBy(records[0])
  if (records.length === 0) throw new Error(`no cluster with nodes on this runner (${root})`)
  throw new Error(
    `${records.length} clusters on this runner (${records.map((record) => record.name).join(', ')}): give the ${step} step the \`name\` of one`
  )
}
