import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand
} from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { CredentialsError } from '../../../src/drivers/ec2/errors.js'
import {
  createSecurityGroup,
  deleteSecurityGroup,
  findClusterSecurityGroups,
  ingressRules,
  securityGroupName
} from '../../../src/drivers/ec2/security-group.js'
import { clusterTags } from '../../../src/drivers/ec2/tags.js'
import { ec2Error, LABELS, mockEc2, quickPace, shortPace } from './helpers.js'

const { ec2, client } = mockEc2()

const self = (protocol: string, port: number, purpose: string) => ({
  IpProtocol: protocol,
  FromPort: port,
  ToPort: port,
  UserIdGroupPairs: [{ GroupId: 'sg-1', Description: `setup-swarm: ${purpose}` }]
})
const from = (port: number, cidr: string, purpose: string) => ({
  IpProtocol: 'tcp',
  FromPort: port,
  ToPort: port,
  IpRanges: [{ CidrIp: cidr, Description: `setup-swarm: ${purpose}` }]
})
const SWARM_RULES = [
  self('tcp', 2377, 'swarm management'),
  self('tcp', 7946, 'swarm gossip'),
  self('udp', 7946, 'swarm gossip'),
  self('udp', 4789, 'overlay VXLAN')
]

describe('ingress rules', () => {
  it('opens SSH and Docker to the admin CIDRs, swarm ports to the group only, published ports to the admin CIDRs', () => {
    expect(ingressRules('sg-1', { adminCidrs: ['203.0.113.7/32'], publishedPorts: [80, 8080, 80] })).toEqual([
      from(22, '203.0.113.7/32', 'SSH (docker-machine)'),
      from(2376, '203.0.113.7/32', 'Docker engine TLS'),
      ...SWARM_RULES,
      from(80, '203.0.113.7/32', 'published port 80'),
      from(8080, '203.0.113.7/32', 'published port 8080')
    ])
  })

  it('opens published ports, and only those, to everyone when asked', () => {
    const rules = ingressRules('sg-1', { adminCidrs: ['198.51.100.0/24', '2001:db8::/64'], publishedPorts: [443, 22], publishToInternet: true })
    expect(rules).toEqual([
      {
        ...from(22, '198.51.100.0/24', 'SSH (docker-machine)'),
        Ipv6Ranges: [{ CidrIpv6: '2001:db8::/64', Description: 'setup-swarm: SSH (docker-machine)' }]
      },
      {
        ...from(2376, '198.51.100.0/24', 'Docker engine TLS'),
        Ipv6Ranges: [{ CidrIpv6: '2001:db8::/64', Description: 'setup-swarm: Docker engine TLS' }]
      },
      ...SWARM_RULES,
      from(443, '0.0.0.0/0', 'published port 443')
    ])
  })

  it('refuses what is not a CIDR or a port, naming the input', () => {
    expect(() => ingressRules('sg-1', { adminCidrs: [] })).toThrow('no CIDR may reach the nodes')
    expect(() => ingressRules('sg-1', { adminCidrs: ['203.0.113.7'] })).toThrow('input `allowed-cidrs`: "203.0.113.7" is not a CIDR')
    expect(() => ingressRules('sg-1', { adminCidrs: ['203.0.113.7/33'] })).toThrow('is not a CIDR')
    expect(() => ingressRules('sg-1', { adminCidrs: ['10.0.0.0/8'], publishedPorts: [70000] })).toThrow('published port 70000 is not a port number')
  })
})

describe('the names of a cluster’s security group and key pair', () => {
  it('carry the repository: two repositories’ clusters of one name in one account never share one', () => {
    expect(securityGroupName({ cluster: 'pr-5', repository: 'octo-org/a' })).toBe('setup-swarm-pr-5@octo-org/a')
    expect(securityGroupName({ cluster: 'pr-5', repository: 'octo-org/b' })).not.toBe(
      securityGroupName({ cluster: 'pr-5', repository: 'octo-org/a' })
    )
    // The longest a cluster's name and a repository can be: within EC2's 255 characters.
    expect(securityGroupName({ cluster: 'c'.repeat(40), repository: `${'o'.repeat(39)}/${'r'.repeat(100)}` }).length).toBeLessThanOrEqual(255)
  })
})

describe('createSecurityGroup', () => {
  const ingress = { adminCidrs: ['203.0.113.7/32'], publishedPorts: [80] }

  it('creates a tagged group in the default VPC and authorizes exactly its rules', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-9' }] })
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-1' })
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true })
    const group = await createSecurityGroup(client, { labels: LABELS, region: 'eu-west-1', ingress, pace: quickPace() })
    expect(group).toEqual({ groupId: 'sg-1', groupName: 'setup-swarm-ci@octo/app', vpcId: 'vpc-9' })
    expect(ec2.commandCalls(DescribeVpcsCommand)[0].args[0].input).toEqual({ Filters: [{ Name: 'is-default', Values: ['true'] }] })
    expect(ec2.commandCalls(CreateSecurityGroupCommand)[0].args[0].input).toEqual({
      GroupName: 'setup-swarm-ci@octo/app',
      Description: 'setup-swarm cluster ci of octo/app, run 42-1',
      VpcId: 'vpc-9',
      TagSpecifications: [{ ResourceType: 'security-group', Tags: clusterTags(LABELS, 'setup-swarm-ci@octo/app') }]
    })
    expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0].args[0].input).toEqual({
      GroupId: 'sg-1',
      IpPermissions: [
        from(22, '203.0.113.7/32', 'SSH (docker-machine)'),
        from(2376, '203.0.113.7/32', 'Docker engine TLS'),
        ...SWARM_RULES,
        from(80, '203.0.113.7/32', 'published port 80')
      ]
    })
  })

  it('uses the VPC given, and retries authorizing while the new group is not yet known', async () => {
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-1' })
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejectsOnce(ec2Error('InvalidGroup.NotFound')).resolves({ Return: true })
    await createSecurityGroup(client, { labels: LABELS, region: 'eu-west-1', vpcId: 'vpc-given', ingress, pace: quickPace() })
    expect(ec2.commandCalls(DescribeVpcsCommand)).toHaveLength(0)
    expect(ec2.commandCalls(CreateSecurityGroupCommand)[0].args[0].input.VpcId).toBe('vpc-given')
    expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(2)
  })

  it('says what to do when there is no default VPC, or the group exists already', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] })
    await expect(createSecurityGroup(client, { labels: LABELS, region: 'eu-west-1', ingress, pace: quickPace() })).rejects.toThrow(
      'the AWS account has no default VPC in eu-west-1: give a VPC (and a subnet of it) explicitly'
    )
    ec2.on(CreateSecurityGroupCommand).rejects(ec2Error('InvalidGroup.Duplicate'))
    await expect(createSecurityGroup(client, { labels: LABELS, region: 'eu-west-1', vpcId: 'vpc-9', ingress, pace: quickPace() })).rejects.toThrow(
      'security group setup-swarm-ci@octo/app already exists in vpc-9 (eu-west-1): a cluster named ci is running or was not removed'
    )
  })

  it('tells of the group as soon as it exists, before its rules, and not when the name is taken', async () => {
    const created: string[] = []
    const onCreated = (group: { groupId: string }) =>
      created.push(`${group.groupId} after ${ec2.commandCalls(AuthorizeSecurityGroupIngressCommand).length} authorize`)
    ec2.on(CreateSecurityGroupCommand).resolvesOnce({ GroupId: 'sg-1' }).rejects(ec2Error('InvalidGroup.Duplicate'))
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(ec2Error('InvalidParameterValue'))
    const options = { labels: LABELS, region: 'eu-west-1', vpcId: 'vpc-9', ingress, pace: quickPace(), onCreated }
    await expect(createSecurityGroup(client, options)).rejects.toThrow('InvalidParameterValue')
    await expect(createSecurityGroup(client, options)).rejects.toThrow('already exists')
    expect(created).toEqual(['sg-1 after 0 authorize'])
  })

  it('refuses bad CIDRs before creating anything', async () => {
    await expect(
      createSecurityGroup(client, { labels: LABELS, region: 'eu-west-1', ingress: { adminCidrs: ['x'] }, pace: quickPace() })
    ).rejects.toThrow('is not a CIDR')
    expect(ec2.calls()).toHaveLength(0)
  })
})

describe('findClusterSecurityGroups', () => {
  it('reads every page, filtered by the cluster and repository tags', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce({ SecurityGroups: [{ GroupId: 'sg-1' }], NextToken: 'next' })
      .resolvesOnce({ SecurityGroups: [{ GroupId: 'sg-2' }] })
    const groups = await findClusterSecurityGroups(client, 'ci', 'octo/app')
    expect(groups.map((group) => group.GroupId)).toEqual(['sg-1', 'sg-2'])
    const filters = [
      { Name: 'tag:setup-swarm:cluster', Values: ['ci'] },
      { Name: 'tag:setup-swarm:repository', Values: ['octo/app'] }
    ]
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { Filters: filters, NextToken: undefined, MaxResults: 1000 },
      { Filters: filters, NextToken: 'next', MaxResults: 1000 }
    ])
  })
})

describe('deleteSecurityGroup', () => {
  const deletes = () => ec2.commandCalls(DeleteSecurityGroupCommand).map((call) => call.args[0].input)

  it('retries while instances still hold the group, then deletes it', async () => {
    ec2
      .on(DeleteSecurityGroupCommand)
      .rejectsOnce(ec2Error('DependencyViolation'))
      .rejectsOnce(ec2Error('DependencyViolation'))
      .resolves({ Return: true, GroupId: 'sg-1' })
    expect(await deleteSecurityGroup(client, 'sg-1', 'eu-west-1', quickPace())).toBeUndefined()
    expect(deletes()).toEqual([{ GroupId: 'sg-1' }, { GroupId: 'sg-1' }, { GroupId: 'sg-1' }])
  })

  it('retries under throttling', async () => {
    ec2.on(DeleteSecurityGroupCommand).rejectsOnce(ec2Error('RequestLimitExceeded')).resolves({ Return: true })
    expect(await deleteSecurityGroup(client, 'sg-1', 'eu-west-1', quickPace())).toBeUndefined()
    expect(deletes()).toHaveLength(2)
  })

  it('counts a group already gone as removed', async () => {
    ec2.on(DeleteSecurityGroupCommand).rejects(ec2Error('InvalidGroup.NotFound'))
    expect(await deleteSecurityGroup(client, 'sg-1', 'eu-west-1', quickPace())).toBeUndefined()
    expect(deletes()).toHaveLength(1)
  })

  it('gives up at the deadline with a leftover naming the group and region', async () => {
    ec2.on(DeleteSecurityGroupCommand).rejects(ec2Error('DependencyViolation', 'resource sg-1 has a dependent object'))
    const started = Date.now()
    const leftover = await deleteSecurityGroup(client, 'sg-1', 'eu-west-1', shortPace(60))
    expect(Date.now() - started).toBeLessThan(1000)
    expect(deletes().length).toBeGreaterThan(1)
    expect(leftover).toBe(
      'security group sg-1 in eu-west-1: not deleted before the deadline (DependencyViolation: resource sg-1 has a dependent object); ' +
        'delete it by hand: aws ec2 delete-security-group --region eu-west-1 --group-id sg-1'
    )
  })

  it('does not retry other failures, and stops everything on expired credentials', async () => {
    ec2.on(DeleteSecurityGroupCommand).rejects(ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.'))
    expect(await deleteSecurityGroup(client, 'sg-1', 'eu-west-1', quickPace())).toMatch(
      /^security group sg-1 in eu-west-1: not deleted \(UnauthorizedOperation: You are not authorized/
    )
    expect(deletes()).toHaveLength(1)
    ec2.on(DeleteSecurityGroupCommand).rejects(ec2Error('ExpiredToken'))
    await expect(deleteSecurityGroup(client, 'sg-1', 'eu-west-1', quickPace())).rejects.toBeInstanceOf(CredentialsError)
  })
})
