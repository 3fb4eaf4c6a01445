import * as core from '@actions/core'
import type { EC2Client, Instance } from '@aws-sdk/client-ec2'
import { credentialsError, describeError, throwIfCredentials } from './errors.js'
import {
  describeInstances,
  findClusterInstances,
  instanceLabel,
  instanceLeftover,
  terminateInstances,
  waitTerminated,
  type PendingInstance
} from './instances.js'
import { deleteKeyPairs, findClusterKeyPairs, type ClusterKeyPair } from './key-pairs.js'
import type { Pace } from './retry.js'
import { deleteSecurityGroup, findClusterSecurityGroups } from './security-group.js'
import { tagValue } from './tags.js'

const PROGRESS_EVERY_MS = 15_000

export interface DestroyOptions {
  cluster: string
  region: string
  /** When given, only that repository's cluster of this name (GITHUB_REPOSITORY). */
  repository?: string
  /** When given, only what that run created (`<run id>-<attempt>`): post's scope. */
  run?: string
  /** Key pair names recorded in main's state (the cluster's own): an instance launched with one is the cluster's, tagged or not yet. */
  keyNames?: string[]
  /** When those names were recorded: an instance launched earlier with such a key is someone else's. */
  keyNamesSince?: Date
  pace: Pace
  /** Progress lines while instances shut down, at most one per 15 s; core.info by default. */
  onProgress?: (line: string) => void
}

export interface DestroyReport {
  /** What was removed, one human-readable line each. */
  removed: string[]
  /** What is left, one human-readable line each with its ID and region: each one a warning. */
  leftovers: string[]
  /** The credentials expired or were rejected: nothing more can be done with them. */
  credentialsFailed: boolean
}

/**
 * Removes every EC2 resource of a cluster, found by its tags and by the recorded key pair names:
 * instances (waiting until they are terminated), key pairs, then security groups. Never throws:
 * what it could not remove is in `leftovers`.
 */
export async function destroyCluster(client: EC2Client, options: DestroyOptions): Promise<DestroyReport> {
  const { cluster, region } = options
  const report: DestroyReport = { removed: [], leftovers: [], credentialsFailed: false }
  try {
    await removeResources(client, options, report)
  } catch (error) {
    const credentials = credentialsError(error, `destroying cluster ${cluster} in ${region}`)
    report.credentialsFailed = Boolean(credentials)
    report.leftovers.push(credentials?.message ?? `cluster ${cluster} in ${region}: ${describeError(error)}`)
  }
  return report
}

async function removeResources(client: EC2Client, options: DestroyOptions, report: DestroyReport): Promise<void> {
  const { cluster, region, repository, run, pace } = options
  const doing = `destroying cluster ${cluster} in ${region}`
  // Each step runs even when one before it failed; only a credentials failure stops them all.
  const step = async (what: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work()
    } catch (error) {
      throwIfCredentials(error, doing)
      report.leftovers.push(`cluster ${cluster} in ${region}: ${what} failed (${describeError(error)}); run destroy again to remove what is left`)
    }
  }

  let taggedKeys: ClusterKeyPair[] = []
  await step('listing its key pairs', async () => {
    taggedKeys = await findClusterKeyPairs(client, cluster, repository, run)
  })
  const recordedKeys = (options.keyNames ?? []).map((name) => ({ name, since: options.keyNamesSince }))
  const keyHints = [...recordedKeys, ...taggedKeys.map((pair) => ({ name: pair.name, since: pair.created }))]

  let instances: Instance[] = []
  // Until every instance is known to be terminated, the key pairs stay: they lead the next
  // destroy to an instance docker-machine had not tagged yet.
  let instancesGone = false
  await step('listing its instances', async () => {
    instances = await findClusterInstances(client, cluster, { repository, run, keyNames: keyHints })
  })
  await step('terminating its instances', async () => {
    const { terminating, leftovers } = await terminateInstances(
      client,
      instances.map((instance) => instance.InstanceId!),
      region
    )
    const left = await waitTerminated(client, terminating, pace, throttled(options.onProgress))
    const leftIds = new Set(left.map(({ id }) => id))
    const terminated = instances.filter((instance) => terminating.includes(instance.InstanceId!) && !leftIds.has(instance.InstanceId!))
    report.removed.push(...terminated.map((instance) => `instance ${instanceLabel(instance)} in ${region}`))
    report.leftovers.push(...leftovers, ...left.map(({ id, state }) => instanceLeftover(id, region, `still ${state} at the deadline`)))
    instancesGone = !leftovers.length && !left.length
  })

  // docker-machine's own key pair of a machine carries the machine's name, which is the instance's Name tag.
  const machineKeys = instances
    .filter((instance) => instance.KeyName && instance.KeyName === tagValue(instance.Tags, 'Name'))
    .map((instance) => instance.KeyName!)
  const keyNames = [...new Set([...keyHints.map((hint) => hint.name), ...machineKeys])]
  if (instancesGone) {
    await step('deleting its key pairs', async () => {
      const { removed, leftovers } = await deleteKeyPairs(client, keyNames, region)
      report.removed.push(...removed.map((name) => `key pair ${name} in ${region}`))
      report.leftovers.push(...leftovers)
    })
  } else if (keyNames.length) {
    report.leftovers.push(`key pairs ${keyNames.join(', ')} in ${region}: kept while instances of cluster ${cluster} may remain; run destroy again`)
  }

  await step('deleting its security groups', async () => {
    for (const group of await findClusterSecurityGroups(client, cluster, repository, run)) {
      const leftover = await deleteSecurityGroup(client, group.GroupId!, region, pace, () =>
        terminateLateInstances(client, group.GroupId!, region, report)
      )
      if (leftover) report.leftovers.push(leftover)
      else report.removed.push(`security group ${group.GroupId} (${group.GroupName}) in ${region}`)
    }
  })
}

/**
 * Ends instances that hold the cluster's own group but were not listed with the cluster's: EC2's
 * lists are eventually consistent, and an instance whose launch a cancel interrupted may show up late.
 * The group is the cluster's alone, so whatever is in it is the cluster's.
 */
async function terminateLateInstances(client: EC2Client, groupId: string, region: string, report: DestroyReport): Promise<void> {
  const late = (await describeInstances(client, [{ Name: 'instance.group-id', Values: [groupId] }])).filter(
    (instance) => !['shutting-down', 'terminated'].includes(instance.State?.Name ?? '')
  )
  if (!late.length) return
  const { terminating, leftovers } = await terminateInstances(
    client,
    late.map((instance) => instance.InstanceId!),
    region
  )
  report.removed.push(
    ...late
      .filter((instance) => terminating.includes(instance.InstanceId!))
      .map((instance) => `instance ${instanceLabel(instance)} in ${region} (listed late)`)
  )
  report.leftovers.push(...leftovers)
}

function throttled(onProgress: ((line: string) => void) | undefined): (pending: PendingInstance[]) => void {
  const print = onProgress ?? core.info
  let next = Date.now() + PROGRESS_EVERY_MS
  return (pending) => {
    if (Date.now() < next) return
    next = Date.now() + PROGRESS_EVERY_MS
    print(`waiting for instances to terminate: ${pending.map(({ id, state }) => `${id} (${state})`).join(', ')}`)
  }
}
