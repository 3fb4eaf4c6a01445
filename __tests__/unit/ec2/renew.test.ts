import { CreateTagsCommand, DescribeInstancesCommand, DescribeKeyPairsCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { renewKeptEc2 } from '../../../src/drivers/ec2/find-kept.js'
import { parseInputs } from '../../../src/inputs/index.js'
import { ec2Error, mockEc2, withEnv } from './helpers.js'

const { ec2 } = mockEc2()
const REPOSITORY = 'octo/app'
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' }
const scope = [
  { Name: 'tag:setup-swarm:cluster', Values: ['pr-7'] },
  { Name: 'tag:setup-swarm:repository', Values: [REPOSITORY] }
]

describe('a kept amazonec2 cluster in use again', () => {
  const inputs = parseInputs((name) => ({ driver: 'amazonec2', name: 'pr-7', cleanup: 'false', ttl: '2d', 'aws-region': 'eu-west-1' })[name] ?? '')

  it("lives `ttl` from this run: every instance, security group and key pair of the repository's cluster gets the new expiry", async () => {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            { InstanceId: 'i-0aaa', State: { Name: 'running' } },
            { InstanceId: 'i-0bbb', State: { Name: 'running' } }
          ]
        }
      ]
    })
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-0ccc' }] })
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [{ KeyName: 'pr-7-manager-1', KeyPairId: 'key-0ddd' }] })
    ec2.on(CreateTagsCommand).resolves({})
    await withEnv(CREDENTIALS, () => renewKeptEc2(inputs, REPOSITORY, new Date('2026-11-24T12:00:00.500Z')))
    expect(ec2.commandCalls(CreateTagsCommand).map((call) => call.args[0].input)).toEqual([
      { Resources: ['i-0aaa', 'i-0bbb', 'sg-0ccc', 'key-0ddd'], Tags: [{ Key: 'setup-swarm:expires', Value: '2026-11-26T12:00:00Z' }] }
    ])
    // Only this repository's cluster of that name: another repository may use the same name.
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0].args[0].input.Filters).toEqual(scope)
    expect(ec2.commandCalls(DescribeKeyPairsCommand)[0].args[0].input.Filters).toEqual(scope)
    expect(ec2.commandCalls(DescribeInstancesCommand)[0].args[0].input.Filters).toEqual(expect.arrayContaining(scope))
  })

  it('fails naming the permission the role lacks; main makes that a warning', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaa' }] }] })
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] })
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [] })
    ec2.on(CreateTagsCommand).rejects(ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.'))
    await expect(withEnv(CREDENTIALS, () => renewKeptEc2(inputs, REPOSITORY))).rejects.toThrow(
      /^tagging its resources with a new expiry failed: .*UnauthorizedOperation.*; the role needs ec2:CreateTags$/
    )
  })
})
