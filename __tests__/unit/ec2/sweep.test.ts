import {
  DeleteSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  TerminateInstancesCommand,
  type DescribeInstancesCommandInput,
  type DescribeSecurityGroupsCommandInput,
  type Tag
} from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { findExpiredClusters, sweepExpiredClusters } from '../../../src/drivers/ec2/sweep.js'
import { ec2Error, mockEc2, quickPace } from './helpers.js'

const { ec2, client } = mockEc2()

const NOW = new Date('2025-06-01T12:00:00Z')
const tags = (cluster: string, expires: string, repository = 'octo/app'): Tag[] => [
  { Key: 'setup-swarm:cluster', Value: cluster },
  { Key: 'setup-swarm:repository', Value: repository },
  { Key: 'setup-swarm:expires', Value: expires }
]
const REPOSITORY_FILTER = { Name: 'tag:setup-swarm:repository', Values: ['octo/app'] }
const LIVE = { Name: 'instance-state-name', Values: ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] }

/** The repository's resources, in two pages each; a cluster's own listing finds `old`'s instance and group. */
function repositoryResources() {
  ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
    const filter = input.Filters![0]
    if (filter.Name === 'tag:setup-swarm:repository') {
      if (!input.NextToken)
        return { Reservations: [{ Instances: [{ InstanceId: 'i-old', Tags: tags('old', '2025-06-01T11:00:00Z') }] }], NextToken: 'p2' }
      return {
        Reservations: [
          {
            Instances: [
              { InstanceId: 'i-fresh', Tags: tags('fresh', '2025-06-01T13:00:00Z') },
              { InstanceId: 'i-stranger', Tags: tags('stranger', '2020-01-01T00:00:00Z', 'someone/else') },
              { InstanceId: 'i-no-expiry', Tags: [{ Key: 'setup-swarm:cluster', Value: 'kept' }] }
            ]
          }
        ]
      }
    }
    if (filter.Name === 'tag:setup-swarm:cluster' && filter.Values![0] === 'old') return { Reservations: [{ Instances: [{ InstanceId: 'i-old' }] }] }
    if (filter.Name === 'instance-id') return { Reservations: [{ Instances: [{ InstanceId: 'i-old', State: { Name: 'terminated' } }] }] }
    return { Reservations: [] }
  })
  ec2.on(DescribeSecurityGroupsCommand).callsFake((input: DescribeSecurityGroupsCommandInput) => {
    const filter = input.Filters![0]
    if (filter.Name === 'tag:setup-swarm:repository') {
      return input.NextToken
        ? { SecurityGroups: [{ GroupId: 'sg-lone', Tags: tags('lone', '2025-05-31T00:00:00Z') }] }
        : { SecurityGroups: [{ GroupId: 'sg-old', Tags: tags('old', '2025-06-01T11:00:00Z') }], NextToken: 'p2' }
    }
    const groups = { old: 'sg-old', lone: 'sg-lone' } as Record<string, string>
    const id = groups[filter.Values![0]]
    return { SecurityGroups: id ? [{ GroupId: id, GroupName: `setup-swarm-${filter.Values![0]}` }] : [] }
  })
  ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [] })
  ec2.on(TerminateInstancesCommand).resolves({})
  ec2.on(DeleteSecurityGroupCommand).resolves({ Return: true })
}

describe('sweep', () => {
  it("finds only this repository's clusters whose expiry has passed, over every page", async () => {
    repositoryResources()
    expect(await findExpiredClusters(client, 'octo/app', NOW)).toEqual(['lone', 'old'])
    const instanceQueries = ec2.commandCalls(DescribeInstancesCommand).map((call) => call.args[0].input)
    expect(instanceQueries).toEqual([
      { Filters: [REPOSITORY_FILTER, LIVE], NextToken: undefined, MaxResults: 1000 },
      { Filters: [REPOSITORY_FILTER, LIVE], NextToken: 'p2', MaxResults: 1000 }
    ])
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand).map((call) => call.args[0].input.NextToken)).toEqual([undefined, 'p2'])
  })

  it('destroys each expired cluster, limited to this repository, and reports what was removed', async () => {
    repositoryResources()
    const report = await sweepExpiredClusters(client, { region: 'eu-west-1', repository: 'octo/app', now: NOW, pace: quickPace() })
    expect(report).toEqual({
      clusters: ['lone', 'old'],
      removed: [
        'security group sg-lone (setup-swarm-lone) in eu-west-1',
        'instance i-old in eu-west-1',
        'security group sg-old (setup-swarm-old) in eu-west-1'
      ],
      leftovers: []
    })
    expect(ec2.commandCalls(TerminateInstancesCommand).map((call) => call.args[0].input)).toEqual([{ InstanceIds: ['i-old'] }])
    const clusterQueries = ec2.commandCalls(DescribeSecurityGroupsCommand).slice(2)
    expect(clusterQueries.map((call) => call.args[0].input.Filters)).toEqual([
      [{ Name: 'tag:setup-swarm:cluster', Values: ['lone'] }, REPOSITORY_FILTER],
      [{ Name: 'tag:setup-swarm:cluster', Values: ['old'] }, REPOSITORY_FILTER]
    ])
  })

  it('says the credentials expired, once, and stops', async () => {
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials'))
    const report = await sweepExpiredClusters(client, { region: 'eu-west-1', repository: 'octo/app', now: NOW, pace: quickPace() })
    expect(report).toEqual({
      clusters: [],
      removed: [],
      leftovers: [
        'the AWS credentials expired or were rejected (AuthFailure) while looking for expired clusters of octo/app in eu-west-1; ' +
          'run destroy again with fresh credentials (aws-actions/configure-aws-credentials); it finds the cluster by its tags'
      ]
    })
  })
})
