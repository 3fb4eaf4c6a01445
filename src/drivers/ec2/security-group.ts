import * as core from '@actions/core'
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  type Filter,
  type IpPermission,
  type SecurityGroup
} from '@aws-sdk/client-ec2'
import { isCidr } from '../../inputs/values.js'
import { describeError, hasCode, throwIfCredentials } from './errors.js'
import { retryWhile, type Pace } from './retry.js'
import { clusterFilters, tagSpecifications, type ClusterLabels } from './tags.js'

/** docker-machine's SSH and the Docker engine's TLS port: reached from the runner (or `allowed-cidrs`). */
export const ADMIN_PORTS = [22, 2376]

/** What swarm nodes need between themselves: management, gossip, overlay (VXLAN). */
export const SWARM_PORTS: Array<{ protocol: 'tcp' | 'udp'; port: number; purpose: string }> = [
  { protocol: 'tcp', port: 2377, purpose: 'swarm management' },
  { protocol: 'tcp', port: 7946, purpose: 'swarm gossip' },
  { protocol: 'udp', port: 7946, purpose: 'swarm gossip' },
  { protocol: 'udp', port: 4789, purpose: 'overlay VXLAN' }
]

export const EVERYWHERE = '0.0.0.0/0'

export interface IngressOptions {
  /** Who may reach SSH and Docker: the runner's address /32, or the user's `allowed-cidrs`. */
  adminCidrs: string[]
  /** Ports the swarm publishes (tcp): reachable from `adminCidrs`, or from everywhere when asked. */
  publishedPorts?: number[]
  publishToInternet?: boolean
}

function fromCidrs(protocol: string, port: number, cidrs: string[], purpose: string): IpPermission {
  const v4 = cidrs.filter((cidr) => !cidr.includes(':'))
  const v6 = cidrs.filter((cidr) => cidr.includes(':'))
  const Description = `setup-swarm: ${purpose}`
  return {
    IpProtocol: protocol,
    FromPort: port,
    ToPort: port,
    ...(v4.length ? { IpRanges: v4.map((CidrIp) => ({ CidrIp, Description })) } : {}),
    ...(v6.length ? { Ipv6Ranges: v6.map((CidrIpv6) => ({ CidrIpv6, Description })) } : {})
  }
}

/** Refuses CIDRs and ports EC2 would refuse, before anything is created. */
export function checkIngress({ adminCidrs, publishedPorts = [] }: IngressOptions): void {
  if (!adminCidrs.length) throw new Error('no CIDR may reach the nodes: give the runner address or `allowed-cidrs`')
  for (const cidr of adminCidrs) if (!isCidr(cidr)) throw new Error(`input \`allowed-cidrs\`: "${cidr}" is not a CIDR such as 203.0.113.7/32`)
  for (const port of publishedPorts) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`published port ${port} is not a port number`)
  }
}

/** The group's ingress: admin ports from the admin CIDRs, swarm ports only from the group itself. */
export function ingressRules(groupId: string, options: IngressOptions): IpPermission[] {
  checkIngress(options)
  const { adminCidrs, publishedPorts = [], publishToInternet = false } = options
  // An admin port is open from the admin CIDRs already; opening it again would be a duplicate rule or SSH to everyone.
  const published = [...new Set(publishedPorts)].filter((port) => !ADMIN_PORTS.includes(port))
  return [
    fromCidrs('tcp', 22, adminCidrs, 'SSH (docker-machine)'),
    fromCidrs('tcp', 2376, adminCidrs, 'Docker engine TLS'),
    ...SWARM_PORTS.map(({ protocol, port, purpose }) => ({
      IpProtocol: protocol,
      FromPort: port,
      ToPort: port,
      UserIdGroupPairs: [{ GroupId: groupId, Description: `setup-swarm: ${purpose}` }]
    })),
    ...published.map((port) => fromCidrs('tcp', port, publishToInternet ? [EVERYWHERE] : adminCidrs, `published port ${port}`))
  ]
}

/**
 * The cluster's security group's name, and its key pair's: unique in a VPC and in a region, so named
 * after the repository too, or two repositories' `pr-5` in one account would fail on each other's. A
 * cluster's name has no '@' and a repository none, so no two clusters share one. At most 193
 * characters (40 + 140 and the rest), within EC2's 255; '@' and '/' are allowed in both.
 */
export const securityGroupName = ({ cluster, repository }: Pick<ClusterLabels, 'cluster' | 'repository'>): string =>
  `setup-swarm-${cluster}@${repository}`

export async function defaultVpcId(client: EC2Client, region: string): Promise<string> {
  const { Vpcs: vpcs = [] } = await client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
  const vpcId = vpcs[0]?.VpcId
  if (!vpcId) throw new Error(`the AWS account has no default VPC in ${region}: give a VPC (and a subnet of it) explicitly`)
  return vpcId
}

export interface ClusterSecurityGroup {
  groupId: string
  groupName: string
  vpcId: string
}

/**
 * Creates the cluster's group, tagged, in `vpcId` or the default VPC, and authorizes its ingress.
 * `onCreated` hears of the group as soon as it exists, before its rules: a failure after it leaves a group to remove.
 */
export async function createSecurityGroup(
  client: EC2Client,
  options: {
    labels: ClusterLabels
    region: string
    vpcId?: string
    ingress: IngressOptions
    pace: Pace
    onCreated?: (group: ClusterSecurityGroup) => void
  }
): Promise<ClusterSecurityGroup> {
  const { labels, region, ingress, pace } = options
  const groupName = securityGroupName(labels)
  checkIngress(ingress)
  const vpcId = options.vpcId || (await defaultVpcId(client, region))
  const created = await client
    .send(
      new CreateSecurityGroupCommand({
        GroupName: groupName,
        Description: `setup-swarm cluster ${labels.cluster} of ${labels.repository}, run ${labels.run}`,
        VpcId: vpcId,
        TagSpecifications: tagSpecifications(labels, groupName, 'security-group')
      })
    )
    .catch((error: unknown) => {
      if (!hasCode(error, 'InvalidGroup.Duplicate')) throw error
      throw new Error(
        `security group ${groupName} already exists in ${vpcId} (${region}): a cluster named ${labels.cluster} is running or was not removed; destroy it or choose another name`
      )
    })
  const groupId = created.GroupId!
  core.info(`created security group ${groupId} (${groupName}) in ${vpcId}`)
  options.onCreated?.({ groupId, groupName, vpcId })
  // A new group can be unknown to the next call for a moment (eventual consistency).
  await retryWhile(
    (error) => hasCode(error, 'InvalidGroup.NotFound'),
    { ...pace, intervalMs: pace.intervalMs ?? 1000 },
    () => client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: ingressRules(groupId, ingress) }))
  )
  return { groupId, groupName, vpcId }
}

/** Every security group matching `filters`, over all pages. */
export async function describeSecurityGroups(client: EC2Client, filters: Filter[]): Promise<SecurityGroup[]> {
  const groups: SecurityGroup[] = []
  let nextToken: string | undefined
  do {
    const page = await client.send(new DescribeSecurityGroupsCommand({ Filters: filters, NextToken: nextToken, MaxResults: 1000 }))
    groups.push(...(page.SecurityGroups ?? []))
    nextToken = page.NextToken
  } while (nextToken)
  return groups
}

export const findClusterSecurityGroups = (client: EC2Client, cluster: string, repository?: string, run?: string): Promise<SecurityGroup[]> =>
  describeSecurityGroups(client, clusterFilters(cluster, repository, run))

/**
 * Deletes a group, again and again while instances still hold it (DependencyViolation) or EC2
 * throttles, until the deadline; `onHeld` hears each time instances still hold it. A group already gone counts as removed. Returns a leftover
 * line, or undefined when the group is gone.
 */
export async function deleteSecurityGroup(
  client: EC2Client,
  groupId: string,
  region: string,
  pace: Pace,
  /** Called when instances still hold the group, before the next try: to end those that were not listed before. */
  onHeld?: () => Promise<void>
): Promise<string | undefined> {
  try {
    await retryWhile(
      (error) => hasCode(error, 'DependencyViolation', 'RequestLimitExceeded'),
      pace,
      async () => {
        try {
          return await client.send(new DeleteSecurityGroupCommand({ GroupId: groupId }))
        } catch (error) {
          if (hasCode(error, 'DependencyViolation')) await onHeld?.()
          throw error
        }
      }
    )
  } catch (error) {
    if (hasCode(error, 'InvalidGroup.NotFound')) return undefined
    throwIfCredentials(error, `deleting security group ${groupId} in ${region}`)
    const when = hasCode(error, 'DependencyViolation', 'RequestLimitExceeded') ? 'not deleted before the deadline' : 'not deleted'
    return `security group ${groupId} in ${region}: ${when} (${describeError(error)}); delete it by hand: aws ec2 delete-security-group --region ${region} --group-id ${groupId}`
  }
  core.info(`deleted security group ${groupId}`)
  return undefined
}
