import { EC2Client } from '@aws-sdk/client-ec2'

/** The SDK's own retries (throttling, 5xx, network): bounded, so one call never waits for long. */
export const MAX_ATTEMPTS = 5
export const CONNECTION_TIMEOUT_MS = 5_000
export const REQUEST_TIMEOUT_MS = 30_000

// Shapes of AWS partitions' region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1.
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+$/

/** Where EC2 calls go when the environment says so (LocalStack, a proxy); otherwise the SDK's endpoint. */
export function ec2Endpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const variable of ['AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL']) {
    const value = env[variable]?.trim()
    if (!value) continue
    if (!URL.canParse(value)) throw new Error(`${variable}: "${value}" is not a URL`)
    return value
  }
  return undefined
}

/**
 * An EC2 client for `region`. Credentials come from the SDK's standard chain; the endpoint
 * is set explicitly because SDK versions differ in which endpoint variables they read.
 */
export function createEc2Client(region: string, env: NodeJS.ProcessEnv = process.env): EC2Client {
  const endpoint = ec2Endpoint(env)
  return new EC2Client({
    region,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }
  })
}

/** The region: the `aws-region` input, else AWS_REGION, else AWS_DEFAULT_REGION. */
export function resolveRegion(input: string, env: NodeJS.ProcessEnv = process.env): string {
  const candidates: Array<[string, string | undefined]> = [
    ['input `aws-region`', input],
    ['AWS_REGION', env.AWS_REGION],
    ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION]
  ]
  for (const [source, value] of candidates) {
    const region = value?.trim()
    if (!region) continue
    if (!REGION.test(region)) throw new Error(`${source}: "${region}" is not an AWS region name such as eu-west-1`)
    return region
  }
  throw new Error(
    'no AWS region: set the input `aws-region` (or AWS_REGION, which aws-actions/configure-aws-credentials exports from its own `aws-region`)'
  )
}

/**
 * Fails unless the environment holds an access key pair, which both this action's SDK and
 * docker-machine's older one read. Names variables only, never their values.
 */
export function checkCredentials(env: NodeJS.ProcessEnv = process.env, driver = 'amazonec2'): void {
  const keyId = Boolean(env.AWS_ACCESS_KEY_ID?.trim())
  const secret = Boolean(env.AWS_SECRET_ACCESS_KEY?.trim())
  if (keyId && secret) return
  const howTo =
    'add a step before this one: aws-actions/configure-aws-credentials with `role-to-assume` (OpenID Connect; the job needs ' +
    '`permissions: id-token: write`) and `aws-region`; it exports AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN'
  if (keyId !== secret) {
    const missing = keyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'
    throw new Error(`driver \`${driver}\`: ${missing} is not set while its partner is; ${howTo}`)
  }
  throw new Error(`driver \`${driver}\` needs AWS credentials in the environment and there are none; ${howTo}`)
}
