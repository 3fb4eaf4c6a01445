import type { Filter, ResourceType, Tag, TagSpecification } from '@aws-sdk/client-ec2'

// Every resource of a cluster carries these tags: destroy and sweep find resources by them
// alone, with no local state.
export const TAG_KEYS = {
  cluster: 'setup-swarm:cluster',
  repository: 'setup-swarm:repository',
  run: 'setup-swarm:run',
  expires: 'setup-swarm:expires'
} as const

/** The values of a cluster's tags. */
export interface ClusterLabels {
  cluster: string
  /** owner/name, from GITHUB_REPOSITORY. */
  repository: string
  /** `<run id>-<attempt>`. */
  run: string
  /** ISO-8601, UTC. */
  expires: string
}

export function clusterLabels(cluster: string, ttlSeconds: number, env: NodeJS.ProcessEnv = process.env, now = new Date()): ClusterLabels {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error(`ttl: ${ttlSeconds} is not a positive number of seconds`)
  const repository = env.GITHUB_REPOSITORY?.trim()
  // Sweeps find clusters by repository: a cluster without one could never be swept.
  if (!repository) throw new Error('GITHUB_REPOSITORY is not set: AWS resources are tagged with their repository, run this in GitHub Actions')
  const run = `${env.GITHUB_RUN_ID?.trim() || 'local'}-${env.GITHUB_RUN_ATTEMPT?.trim() || '1'}`
  return { cluster, repository, run, expires: expiryAfter(ttlSeconds, now) }
}

/** The expiry tag's value: `ttlSeconds` from `now`, ISO-8601 in UTC, to the second. */
export function expiryAfter(ttlSeconds: number, now = new Date()): string {
  return new Date(now.getTime() + ttlSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** `Name` first (the console shows it), then the cluster's tags. */
export function clusterTags(labels: ClusterLabels, name: string): Tag[] {
  return [
    { Key: 'Name', Value: name },
    { Key: TAG_KEYS.cluster, Value: labels.cluster },
    { Key: TAG_KEYS.repository, Value: labels.repository },
    { Key: TAG_KEYS.run, Value: labels.run },
    { Key: TAG_KEYS.expires, Value: labels.expires }
  ]
}

/** TagSpecifications for a create call, so a resource is never untagged, not even for a moment. */
export function tagSpecifications(labels: ClusterLabels, name: string, ...resourceTypes: ResourceType[]): TagSpecification[] {
  return resourceTypes.map((ResourceType) => ({ ResourceType, Tags: clusterTags(labels, name) }))
}

/**
 * The value of docker-machine's `--amazonec2-tags` (`key1,value1,key2,value2`, split on every
 * comma). `Name` is left out: the driver sets it to the machine's name itself.
 */
export function machineTagsOption(labels: ClusterLabels): string {
  const tags = clusterTags(labels, '').filter((tag) => tag.Key !== 'Name')
  for (const tag of tags) {
    if (`${tag.Key}${tag.Value}`.includes(',')) throw new Error(`tag ${tag.Key}: "${tag.Value}" holds a comma, which --amazonec2-tags cannot carry`)
  }
  return tags.flatMap((tag) => [tag.Key, tag.Value]).join(',')
}

const tagFilter = (key: string, value: string): Filter => ({ Name: `tag:${key}`, Values: [value] })

/**
 * Resources of one cluster; with `repository`, only that repository's cluster of this name; with
 * `run`, only what that run created (post: a same-named cluster of another run is not its own).
 */
export function clusterFilters(cluster: string, repository?: string, run?: string): Filter[] {
  return [
    tagFilter(TAG_KEYS.cluster, cluster),
    ...(repository ? [tagFilter(TAG_KEYS.repository, repository)] : []),
    ...(run ? [tagFilter(TAG_KEYS.run, run)] : [])
  ]
}

/** Resources of every cluster of one repository. */
export function repositoryFilters(repository: string): Filter[] {
  return [tagFilter(TAG_KEYS.repository, repository)]
}

export function tagValue(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((tag) => tag.Key === key)?.Value
}

/** True when the resource's expiry tag lies before `now`; a missing or unreadable tag is not expired. */
export function isExpired(tags: Tag[] | undefined, now: Date): boolean {
  const expires = Date.parse(tagValue(tags, TAG_KEYS.expires) ?? '')
  return Number.isFinite(expires) && expires < now.getTime()
}
