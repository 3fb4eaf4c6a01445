import * as core from '@actions/core'
import type { EC2Client, Filter, Tag } from '@aws-sdk/client-ec2'
import { credentialsError, describeError } from './errors.js'
import { destroyCluster } from './destroy.js'
import { describeInstances } from './instances.js'
import type { Pace } from './retry.js'
import { describeSecurityGroups } from './security-group.js'
import { isExpired, repositoryFilters, TAG_KEYS, tagValue } from './tags.js'

/** Instances already terminated cost nothing and cannot be removed any further. */
const notTerminated: Filter = { Name: 'instance-state-name', Values: ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] }

/** Names of this repository's clusters with an instance or a security group whose expiry has passed. */
export async function findExpiredClusters(client: EC2Client, repository: string, now = new Date()): Promise<string[]> {
  const filters = repositoryFilters(repository)
  const tagSets: Array<Tag[] | undefined> = [
    ...(await describeInstances(client, [...filters, notTerminated])).map((instance) => instance.Tags),
    ...(await describeSecurityGroups(client, filters)).map((group) => group.Tags)
  ]
  const expired = new Set<string>()
  for (const tags of tagSets) {
    const cluster = tagValue(tags, TAG_KEYS.cluster)
    // The filter asked EC2 for this repository; checking again costs nothing and guards a stand-in endpoint.
    if (cluster && tagValue(tags, TAG_KEYS.repository) === repository && isExpired(tags, now)) expired.add(cluster)
  }
  return [...expired].sort()
}

export interface SweepReport {
  /** The expired clusters found. */
  clusters: string[]
  removed: string[]
  leftovers: string[]
}

/** Destroys every expired cluster of `repository` in `region`, one after the other. Never throws. */
export async function sweepExpiredClusters(
  client: EC2Client,
  options: { region: string; repository: string; pace: Pace; now?: Date; onProgress?: (line: string) => void }
): Promise<SweepReport> {
  const { region, repository } = options
  const report: SweepReport = { clusters: [], removed: [], leftovers: [] }
  try {
    report.clusters = await findExpiredClusters(client, repository, options.now)
  } catch (error) {
    const doing = `looking for expired clusters of ${repository} in ${region}`
    report.leftovers.push(credentialsError(error, doing)?.message ?? `${doing} failed: ${describeError(error)}`)
    return report
  }
  for (const cluster of report.clusters) {
    core.info(`removing expired cluster ${cluster} in ${region}`)
    const destroyed = await destroyCluster(client, { cluster, region, repository, pace: options.pace, onProgress: options.onProgress })
    report.removed.push(...destroyed.removed)
    report.leftovers.push(...destroyed.leftovers)
    // The same credentials would fail for every other cluster too.
    if (destroyed.credentialsFailed) break
  }
  return report
}
