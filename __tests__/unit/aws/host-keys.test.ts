import { GetConsoleOutputCommand } from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { hostKeysFromConsole, waitForHostKeys } from '../../../src/drivers/aws/host-keys.js'
import { Deadline } from '../../../src/tools/wait.js'
import { ec2Error, mockEc2 } from '../ec2/helpers.js'

/** A public key line as ssh-keygen writes it: the blob names its type (RFC 4253), then key bytes. */
function keyLine(type: string): string {
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(bytes.length)
    return Buffer.concat([length, bytes])
  }
  return `${type} ${Buffer.concat([field(Buffer.from(type)), field(randomBytes(32))]).toString('base64')}`
}
const ECDSA = keyLine('ecdsa-sha2-nistp256')
const ED25519 = keyLine('ssh-ed25519')
const RSA = keyLine('ssh-rsa')

/** An Ubuntu instance's console: the user data's block (journal-prefixed), cloud-init's fingerprints (syslog-prefixed), its keys block. */
const CONSOLE = [
  '[   10.100000] cloud-init[1024]: -----BEGIN SSH HOST KEY KEYS-----',
  `[   10.100001] cloud-init[1024]: ${ECDSA} root@ip-172-31-5-9`,
  `[   10.100002] cloud-init[1024]: ${ED25519} root@ip-172-31-5-9`,
  `[   10.100003] cloud-init[1024]: ${RSA} root@ip-172-31-5-9`,
  '[   10.100004] cloud-init[1024]: -----END SSH HOST KEY KEYS-----',
  '[   24.000000] cloud-init[1024]: setup-swarm: Docker is installed',
  '<14>Dec  6 07:46:22 cloud-init: #############################################################',
  '<14>Dec  6 07:46:22 cloud-init: -----BEGIN SSH HOST KEY FINGERPRINTS-----',
  '<14>Dec  6 07:46:22 cloud-init: 256 SHA256:Jf0rJx1eJ7Qm3QpQ7m2mAO2yk0w8t3u3cA4cX0n7Q2U root@ip-172-31-5-9 (ECDSA)',
  '<14>Dec  6 07:46:22 cloud-init: -----END SSH HOST KEY FINGERPRINTS-----',
  '-----BEGIN SSH HOST KEY KEYS-----',
  `${ECDSA} root@ip-172-31-5-9`,
  `${ED25519} root@ip-172-31-5-9`,
  `${RSA} root@ip-172-31-5-9`,
  '-----END SSH HOST KEY KEYS-----'
].join('\r\n')

const block = (...lines: string[]) => ['-----BEGIN SSH HOST KEY KEYS-----', ...lines, '-----END SSH HOST KEY KEYS-----'].join('\n')

describe('host keys from the console', () => {
  it('are the first complete block’s keys, without their comments, with the prefixes the console gives its lines', () => {
    expect(hostKeysFromConsole(CONSOLE)).toEqual([ECDSA, ED25519, RSA])
    expect(hostKeysFromConsole(block(`ec2: ${ED25519} root@x`))).toEqual([ED25519])
  })

  it('are none before a block is complete; a block printed later does not replace the first', () => {
    expect(hostKeysFromConsole(`-----BEGIN SSH HOST KEY KEYS-----\n${ED25519}`)).toEqual([])
    expect(hostKeysFromConsole(`${block(ECDSA)}\n${block(ED25519)}`)).toEqual([ECDSA])
  })

  it('skip a block with a line that is no key, a key whose blob names another type, and lines of an unknown prefix', () => {
    const [, forged] = ED25519.split(' ')
    expect(hostKeysFromConsole(`${block(ECDSA, 'not a key')}\n${block(ED25519)}`)).toEqual([ED25519])
    expect(hostKeysFromConsole(`${block(`ssh-rsa ${forged}`)}\n${block(RSA)}`)).toEqual([RSA])
    expect(hostKeysFromConsole(block(`kernel: ${ECDSA}`))).toEqual([])
    expect(hostKeysFromConsole(`someone: -----BEGIN SSH HOST KEY KEYS-----\n${ECDSA}\n-----END SSH HOST KEY KEYS-----`)).toEqual([])
  })

  const { ec2, client } = mockEc2()

  it('are waited for on the live console (Latest), bounded, until they appear', async () => {
    ec2
      .on(GetConsoleOutputCommand)
      .resolvesOnce({ InstanceId: 'i-1' })
      .resolves({ InstanceId: 'i-1', Output: Buffer.from(CONSOLE).toString('base64') })
    expect(await waitForHostKeys(client, 'i-1', new Deadline(10, 'test'), 'ci-manager-1')).toEqual([ECDSA, ED25519, RSA])
    expect(ec2.commandCalls(GetConsoleOutputCommand)[0].args[0].input).toEqual({ InstanceId: 'i-1', Latest: true })
  })

  it('fall back to the console EC2 posts after boot where the type has no live console (not Nitro)', async () => {
    ec2
      .on(GetConsoleOutputCommand, { InstanceId: 'i-3', Latest: true })
      .rejects(ec2Error('UnsupportedOperation', 'This instance type does not support retrieving the latest console output.'))
    ec2.on(GetConsoleOutputCommand, { InstanceId: 'i-3' }).resolves({ InstanceId: 'i-3', Output: Buffer.from(block(ED25519)).toString('base64') })
    expect(await waitForHostKeys(client, 'i-3', new Deadline(10, 'test'), 'ci-worker-2')).toEqual([ED25519])
    expect(ec2.commandCalls(GetConsoleOutputCommand).map((call) => call.args[0].input.Latest)).toEqual([true, undefined])
  })

  it('time out naming the node and the instance', async () => {
    ec2.on(GetConsoleOutputCommand).resolves({ InstanceId: 'i-2', Output: Buffer.from('booting').toString('base64') })
    await expect(waitForHostKeys(client, 'i-2', new Deadline(0.1, 'test'), 'ci-worker-1')).rejects.toThrow(
      /timed out after \d+ s waiting for ci-worker-1's SSH host keys on its console \(i-2\)/
    )
  })
})
