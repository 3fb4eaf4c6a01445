import * as core from '@actions/core'
import { CreateTagsCommand, type Instance } from '@aws-sdk/client-ec2'
import { ENGINE_PORT } from '../../engine/api.js'
import type { EngineNode } from '../../engine/node.js'
import type { Inputs } from '../../inputs/index.js'
import { createEc2Client, resolveRegion } from './client.js'
import { describeError, throwIfCredentials } from './errors.js'
import { findClusterInstances } from './instances.js'
import { findClusterKeyPairs } from './key-pairs.js'
import { findClusterSecurityGroups } from './security-group.js'
import { expiryAfter, TAG_KEYS, tagValue } from './tags.js'

// A kept EC2 cluster (driver `aws` or `amazonec2`), found again from any runner by its instances' tags:
// no docker-machine store is needed (it stayed on the runner that made them), only the instances'
// names and addresses.

/** `repository`'s kept cluster's nodes, or undefined when no instance of it is left. */
export async function findKeptEc2(inputs: Inputs, repository: string, privateOnly = false): Promise<EngineNode[] | undefined> {
  const client = createEc2Client(resolveRegion(inputs.aws.region))
  const instances = await findClusterInstances(client, inputs.name, { repository })
  return instances.length ? keptEc2Nodes(inputs, instances, privateOnly) : undefined
}

/**
 * A kept cluster in use again lives `ttl` from now: its instances, security groups and key pairs get
 * a new expiry tag, or the sweep would remove a pull request's environment while it is still used.
 */
export async function renewKeptEc2(inputs: Inputs, repository = process.env.GITHUB_REPOSITORY, now = new Date()): Promise<void> {
  const client = createEc2Client(resolveRegion(inputs.aws.region))
  const [instances, groups, keyPairs] = await Promise.all([
    findClusterInstances(client, inputs.name, { repository }),
    findClusterSecurityGroups(client, inputs.name, repository),
    findClusterKeyPairs(client, inputs.name, repository)
  ])
  const ids = [...instances.map((instance) => instance.InstanceId), ...groups.map((group) => group.GroupId), ...keyPairs.map((pair) => pair.id)]
  const expires = expiryAfter(inputs.ttlSeconds, now)
  const tagging = new CreateTagsCommand({ Resources: ids.filter((id) => id !== undefined), Tags: [{ Key: TAG_KEYS.expires, Value: expires }] })
  await client.send(tagging).catch((error: unknown) => {
    throwIfCredentials(error, `tagging kept cluster ${inputs.name} with a new expiry`)
    throw new Error(`tagging its resources with a new expiry failed: ${describeError(error)}; the role needs ec2:CreateTags`, { cause: error })
  })
  core.info(`kept cluster ${inputs.name} now expires at ${expires} (\`ttl\` from this run)`)
}

/**
 * The nodes the inputs describe, each from its running instance, named by its `Name` tag; `privateOnly`:
 * the runner reaches the instances on their private addresses.
 */
export function keptEc2Nodes(inputs: Inputs, instances: Instance[], privateOnly: boolean): EngineNode[] {
  const byName = new Map(instances.map((instance) => [tagValue(instance.Tags, 'Name') ?? instance.InstanceId!, instance]))
  const problems: string[] = []
  const nodes = inputs.nodes.flatMap((node): EngineNode[] => {
    const instance = byName.get(node.name)
    const state = instance?.State?.Name
    if (!instance) problems.push(`${node.name} has no instance`)
    else if (state !== 'running') problems.push(`${node.name}'s instance ${instance.InstanceId} is ${state ?? 'in no known state'}`)
    const ip = privateOnly ? instance?.PrivateIpAddress : (instance?.PublicIpAddress ?? instance?.PrivateIpAddress)
    if (!instance || state !== 'running') return []
    if (!ip) {
      problems.push(`${node.name}'s instance ${instance.InstanceId} has no address`)
      return []
    }
    return [{ name: node.name, role: node.role, ip, advertiseIp: instance.PrivateIpAddress ?? ip, dockerHost: `tcp://${ip}:${ENGINE_PORT}` }]
  })
  const named = new Set(inputs.nodes.map((node) => node.name))
  for (const [name, instance] of byName)
    if (!named.has(name)) problems.push(`instance ${instance.InstanceId} (${name}) is not a node the inputs name`)
  if (problems.length) {
    throw new Error(
      `kept cluster "${inputs.name}" is not healthy: ${problems.join('; ')}. Destroy it by name (setup-swarm/destroy) and run again to make it anew`
    )
  }
  return nodes
}
