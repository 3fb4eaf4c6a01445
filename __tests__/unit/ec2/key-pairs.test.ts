import { DeleteKeyPairCommand, DescribeKeyPairsCommand, ImportKeyPairCommand } from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { CredentialsError } from '../../../src/drivers/ec2/errors.js'
import { deleteKeyPairs, findClusterKeyPairs, importKeyPair } from '../../../src/drivers/ec2/key-pairs.js'
import { clusterTags } from '../../../src/drivers/ec2/tags.js'
import { ec2Error, LABELS, mockEc2 } from './helpers.js'

const { ec2, client } = mockEc2()

describe('key pairs', () => {
  it('imports a public key as a key pair tagged with the cluster', async () => {
    ec2.on(ImportKeyPairCommand).resolves({ KeyPairId: 'key-1', KeyName: 'ci-manager-1' })
    expect(await importKeyPair(client, 'ci-manager-1', 'ssh-ed25519 AAAA test', LABELS)).toBe('key-1')
    const input = ec2.commandCalls(ImportKeyPairCommand)[0].args[0].input
    expect(input).toEqual({
      KeyName: 'ci-manager-1',
      PublicKeyMaterial: new TextEncoder().encode('ssh-ed25519 AAAA test'),
      TagSpecifications: [{ ResourceType: 'key-pair', Tags: clusterTags(LABELS, 'ci-manager-1') }]
    })
  })

  it('finds the key pairs tagged with the cluster', async () => {
    const created = new Date('2025-06-01T10:00:00Z')
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [{ KeyName: 'ci-manager-1', CreateTime: created }] })
    expect(await findClusterKeyPairs(client, 'ci')).toEqual([{ name: 'ci-manager-1', created }])
    expect(ec2.commandCalls(DescribeKeyPairsCommand)[0].args[0].input).toEqual({ Filters: [{ Name: 'tag:setup-swarm:cluster', Values: ['ci'] }] })
  })

  it('deletes each name once; a missing one counts as removed, a refusal is a leftover', async () => {
    ec2.on(DeleteKeyPairCommand, { KeyName: 'ci-manager-1' }).resolves({ Return: true })
    ec2.on(DeleteKeyPairCommand, { KeyName: 'ci-worker-1' }).rejects(ec2Error('InvalidKeyPair.NotFound'))
    ec2
      .on(DeleteKeyPairCommand, { KeyName: 'ci-worker-2' })
      .rejects(ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.'))
    const result = await deleteKeyPairs(client, ['ci-manager-1', 'ci-worker-1', 'ci-manager-1', 'ci-worker-2'], 'eu-west-1')
    expect(result).toEqual({
      removed: ['ci-manager-1', 'ci-worker-1'],
      leftovers: [
        'key pair ci-worker-2 in eu-west-1: UnauthorizedOperation: You are not authorized to perform this operation.; ' +
          'delete it by hand: aws ec2 delete-key-pair --region eu-west-1 --key-name ci-worker-2'
      ]
    })
    expect(ec2.commandCalls(DeleteKeyPairCommand).map((call) => call.args[0].input.KeyName)).toEqual(['ci-manager-1', 'ci-worker-1', 'ci-worker-2'])
  })

  it('stops on expired credentials', async () => {
    ec2.on(DeleteKeyPairCommand).rejects(ec2Error('RequestExpired'))
    await expect(deleteKeyPairs(client, ['ci-manager-1'], 'eu-west-1')).rejects.toBeInstanceOf(CredentialsError)
  })
})
