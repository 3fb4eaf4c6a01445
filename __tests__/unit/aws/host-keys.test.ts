import { GetConsoleOutputCommand } from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { hostKeysFromConsole, waitForHostKeys } from '../../../src/drivers/aws/host-keys.js'
import { Deadline } from '../../../src/tools/wait.js'
import { mockEc2 } from '../ec2/helpers.js'

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDu5Ohz1mQq8ZKxJ0Xs3Yv2l8Ytq6vJ3w1oK9m2hW7Xs'
const ECDSA =
  'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKx0nVq3bqkqTyE6b5d1Q8pY1m8t0w7Qe2w3JXv0oPp9b8m8xwL2dQn3wT9Qq1T1hT5uVb5d7W0n2mD0b4u7Xc='

/** An Ubuntu instance's console as EC2 shows it: cloud-init's fingerprints (prefixed), then its keys block. */
const CLOUD_INIT_CONSOLE = [
  '[   12.345678] cloud-init[1024]: Cloud-init v. 24.1 running modules:final',
  'ec2: ',
  'ec2: #############################################################',
  'ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----',
  'ec2: 256 SHA256:Jf0rJx1eJ7Qm3QpQ7m2mAO2yk0w8t3u3cA4cX0n7Q2U root@ip-172-31-5-9 (ECDSA)',
  'ec2: 256 SHA256:W7vV5m1p2T3Oa0bGxP9lQ8rR6sS4tU2vW1xY0zA9bCd root@ip-172-31-5-9 (ED25519)',
  'ec2: -----END SSH HOST KEY FINGERPRINTS-----',
  'ec2: #############################################################',
  '-----BEGIN SSH HOST KEY KEYS-----',
  `${ECDSA} root@ip-172-31-5-9`,
  `${ED25519} root@ip-172-31-5-9`,
  '-----END SSH HOST KEY KEYS-----',
  'Cloud-init v. 24.1 finished at Sun, 06 Dec 2026 08:00:00 +0000. Up 14.20 seconds'
].join('\r\n')

describe('host keys from the console', () => {
  it("are the keys block's keys, without their comments, whether cloud-init's or the user data's printed them", () => {
    expect(hostKeysFromConsole(CLOUD_INIT_CONSOLE)).toEqual([ECDSA, ED25519])
  })

  it('are none before a block is complete, and the last complete block wins', () => {
    expect(hostKeysFromConsole('-----BEGIN SSH HOST KEY KEYS-----\n' + ED25519)).toEqual([])
    const twice = `-----BEGIN SSH HOST KEY KEYS-----\n${ECDSA}\n-----END SSH HOST KEY KEYS-----\n${CLOUD_INIT_CONSOLE}`
    expect(hostKeysFromConsole(twice)).toEqual([ECDSA, ED25519])
  })

  it('skip lines that are no key, and a key outside a block', () => {
    const text = `${ED25519}\n-----BEGIN SSH HOST KEY KEYS-----\nnot a key\nssh-dss AAAAB3NzaC1kc3MAAACBAP\n${ECDSA}\n-----END SSH HOST KEY KEYS-----`
    expect(hostKeysFromConsole(text)).toEqual([ECDSA])
  })

  const { ec2, client } = mockEc2()

  it('are waited for on the console (Latest), bounded, until they appear', async () => {
    ec2
      .on(GetConsoleOutputCommand)
      .resolvesOnce({ InstanceId: 'i-1' })
      .resolves({ InstanceId: 'i-1', Output: Buffer.from(CLOUD_INIT_CONSOLE).toString('base64') })
    expect(await waitForHostKeys(client, 'i-1', new Deadline(10, 'test'), 'ci-manager-1')).toEqual([ECDSA, ED25519])
    expect(ec2.commandCalls(GetConsoleOutputCommand)[0].args[0].input).toEqual({ InstanceId: 'i-1', Latest: true })
  })

  it('time out naming the node and the instance', async () => {
    ec2.on(GetConsoleOutputCommand).resolves({ InstanceId: 'i-2', Output: Buffer.from('booting').toString('base64') })
    await expect(waitForHostKeys(client, 'i-2', new Deadline(0.1, 'test'), 'ci-worker-1')).rejects.toThrow(
      /timed out after \d+ s waiting for ci-worker-1's SSH host keys on its console \(i-2\)/
    )
  })
})
