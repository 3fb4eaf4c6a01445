import { EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2'
import { beforeEach } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import type { Pace } from '../../../src/drivers/ec2/retry.js'
import type { ClusterLabels } from '../../../src/drivers/ec2/tags.js'
import { Deadline } from '../../../src/tools/wait.js'

/** An EC2 error as the SDK throws it: the code in `name` and `Code`, a client fault. */
export function ec2Error(code: string, message = `${code} happened`): EC2ServiceException {
  const error = new EC2ServiceException({ name: code, $fault: 'client', $metadata: { httpStatusCode: 400 }, message })
  return Object.assign(error, { Code: code })
}

/** Retries at once: a pace for tests that never sleeps, bounded by a deadline far enough away. */
export const quickPace = (seconds = 10): Pace => ({ deadline: new Deadline(seconds, 'test'), intervalMs: 1, sleep: async () => {} })

/** A pace whose deadline passes within `ms` real milliseconds. */
export const shortPace = (ms = 60): Pace => ({ deadline: new Deadline(ms / 1000, 'test'), intervalMs: 5 })

export const LABELS: ClusterLabels = { cluster: 'ci', repository: 'octo/app', run: '42-1', expires: '2030-01-01T00:00:00Z' }

/** Credentials as configure-aws-credentials exports them, to prove none leaks into a message. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAFAKEKEYID0000001',
  AWS_SECRET_ACCESS_KEY: 'fake/secret+access+key/0123456789abcdefABCD',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEFAKESESSIONTOKEN0123456789abcdefghijklmnopqrstuvwxyz'
}

/** Runs `work` with `env` merged into process.env, restoring it afterwards. */
export async function withEnv<T>(env: Record<string, string | undefined>, work: () => Promise<T> | T): Promise<T> {
  const saved = { ...process.env }
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
  try {
    return await work()
  } finally {
    process.env = saved
  }
}

/** The EC2 client mocked at the SDK boundary, reset before each test, and a client whose calls it answers. */
export function mockEc2() {
  const ec2 = mockClient(EC2Client)
  beforeEach(() => {
    ec2.reset()
  })
  return { ec2, client: new EC2Client({ region: 'eu-west-1' }) }
}
