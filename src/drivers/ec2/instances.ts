import * as core from '@actions/core'
import { DescribeInstancesCommand, TerminateInstancesCommand, type EC2Client, type Filter, type Instance } from '@aws-sdk/client-ec2'
import { describeError, hasCode, throwIfCredentials } from './errors.js'
import { waitUntil, type Pace } from './retry.js'
import { clusterFilters, TAG_KEYS, tagValue } from './tags.js'

/** Every state but `terminated`: an instance in any of them may still cost money. */
const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped']
/** Allowance between the runner's clock and EC2's when comparing launch times. */
const CLOCK_SKEW_MS = 5 * 60_000

/** Every instance matching `filters`, over all pages. */
export async function describeInstances(client: EC2Client, filters: Filter[]): Promise<Instance[]> {
  const instances: Instance[] = []
  let nextToken: string | undefined
  do {
    const page = await client.send(new DescribeInstancesCommand({ Filters: filters, NextToken: nextToken, MaxResults: 1000 }))
    for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []))
    nextToken = page.NextToken
  } while (nextToken)
  return instances
}

const liveOnly: Filter = { Name: 'instance-state-name', Values: LIVE_STATES }

/** A key pair an instance of the cluster may have been launched with; none earlier than `since` is ours. */
export interface KeyNameHint {
  name: string
  since?: Date
}

/**
 * The cluster's instances that are not terminated: those tagged with it, and those launched with
 * one of its key pairs. docker-machine tags an instance only once it runs, so a create killed
 * halfway leaves one that only its key pair (named after the machine) points at.
 */
export async function findClusterInstances(
  client: EC2Client,
  cluster: string,
  options: { repository?: string; run?: string; keyNames?: KeyNameHint[] } = {}
): Promise<Instance[]> {
  const { repository, run, keyNames = [] } = options
  const tagged = await describeInstances(client, [...clusterFilters(cluster, repository, run), liveOnly])
  const byKey = keyNames.length
    ? await describeInstances(client, [{ Name: 'key-name', Values: [...new Set(keyNames.map((hint) => hint.name))] }, liveOnly])
    : []
  const found = new Map<string, Instance>()
  for (const instance of tagged) found.set(instance.InstanceId!, instance)
  for (const instance of byKey)
    if (launchedWithClusterKey(instance, { cluster, repository, run }, keyNames)) found.set(instance.InstanceId!, instance)
  return [...found.values()]
}

/** An instance with a cluster's key name is that cluster's unless its tags or launch time say otherwise. */
function launchedWithClusterKey(instance: Instance, scope: { cluster: string; repository?: string; run?: string }, hints: KeyNameHint[]): boolean {
  // An untagged instance (docker-machine tags after launch) is judged by its launch time alone.
  const differs = (key: string, wanted: string | undefined) => {
    const tagged = tagValue(instance.Tags, key)
    return wanted !== undefined && tagged !== undefined && tagged !== wanted
  }
  if (differs(TAG_KEYS.cluster, scope.cluster) || differs(TAG_KEYS.repository, scope.repository) || differs(TAG_KEYS.run, scope.run)) return false
  // A same-named key pair of someone else's, deleted since, may have launched an older instance.
  const since = hints.filter((hint) => hint.name === instance.KeyName && hint.since).map((hint) => hint.since!.getTime())
  const launched = instance.LaunchTime?.getTime()
  return !since.length || launched === undefined || launched >= Math.min(...since) - CLOCK_SKEW_MS
}

export const instanceLabel = (instance: Instance): string => {
  const name = tagValue(instance.Tags, 'Name')
  return name ? `${instance.InstanceId} (${name})` : instance.InstanceId!
}

/** Terminates instances; returns those now terminating and a leftover line for each that refused. */
export async function terminateInstances(client: EC2Client, ids: string[], region: string): Promise<{ terminating: string[]; leftovers: string[] }> {
  if (!ids.length) return { terminating: [], leftovers: [] }
  try {
    await client.send(new TerminateInstancesCommand({ InstanceIds: ids }))
    core.info(`terminating ${ids.join(', ')}`)
    return { terminating: ids, leftovers: [] }
  } catch (error) {
    throwIfCredentials(error, `terminating instances in ${region}`)
    if (ids.length === 1) {
      // Gone since it was listed: nothing to terminate.
      if (hasCode(error, 'InvalidInstanceID.NotFound')) return { terminating: [], leftovers: [] }
      return { terminating: [], leftovers: [instanceLeftover(ids[0], region, describeError(error))] }
    }
  }
  // One instance that refuses fails the whole call: each one on its own, so the others still go.
  const results = []
  for (const id of ids) results.push(await terminateInstances(client, [id], region))
  return { terminating: results.flatMap((result) => result.terminating), leftovers: results.flatMap((result) => result.leftovers) }
}

export function instanceLeftover(id: string, region: string, why: string): string {
  return `instance ${id} in ${region}: ${why}; terminate it by hand: aws ec2 terminate-instances --region ${region} --instance-ids ${id}`
}

export interface PendingInstance {
  id: string
  state: string
}

/**
 * Waits until every instance is terminated (or gone), bounded by the deadline; `onProgress`
 * hears the ones still shutting down after each look. Returns those not terminated at the deadline.
 */
export async function waitTerminated(
  client: EC2Client,
  ids: string[],
  pace: Pace,
  onProgress?: (pending: PendingInstance[]) => void
): Promise<PendingInstance[]> {
  if (!ids.length) return []
  let pending: PendingInstance[] = []
  // A filter, not InstanceIds: an ID EC2 no longer knows is then simply absent, not an error.
  const done = await waitUntil(pace, async () => {
    const instances = await describeInstances(client, [{ Name: 'instance-id', Values: ids }])
    pending = instances
      .filter((instance) => instance.State?.Name !== 'terminated')
      .map((instance) => ({ id: instance.InstanceId!, state: instance.State?.Name ?? 'unknown' }))
    if (pending.length) onProgress?.(pending)
    return pending.length === 0
  })
  return done ? [] : pending
}
