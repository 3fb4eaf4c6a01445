import { DeleteSecurityGroupCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { checkCredentials, createEc2Client, ec2Endpoint, MAX_ATTEMPTS, resolveRegion } from '../../../src/drivers/ec2/client.js'
import { credentialsError, describeError, errorCode } from '../../../src/drivers/ec2/errors.js'
import { FAKE_CREDENTIALS, withEnv } from './helpers.js'

const errorXml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>r-1</RequestID></Response>`

const VPCS_XML =
  '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-2</requestId>' +
  '<vpcSet><item><vpcId>vpc-0abc</vpcId><isDefault>true</isDefault></item></vpcSet></DescribeVpcsResponse>'

/** A stand-in EC2 endpoint: answers by the request's Action, records every request. */
describe('the EC2 client', () => {
  let server: Server
  let url: string
  const requests: Array<{ path: string; body: string; authorization: string }> = []

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        requests.push({ path: request.url ?? '', body, authorization: String(request.headers.authorization ?? '') })
        const action = new URLSearchParams(body).get('Action')
        response.setHeader('content-type', 'text/xml')
        if (action === 'DescribeVpcs') return response.end(VPCS_XML)
        response.statusCode = 400
        const groupId = new URLSearchParams(body).get('GroupId')
        if (groupId === 'sg-expired') return response.end(errorXml('ExpiredToken', 'The security token included in the request is expired'))
        response.end(errorXml('DependencyViolation', `resource ${groupId} has a dependent object`))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const env = () => ({ ...FAKE_CREDENTIALS, AWS_ENDPOINT_URL_EC2: url, AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_EC2_METADATA_DISABLED: 'true' })

  it('sends every call to AWS_ENDPOINT_URL_EC2, signed for the region', async () => {
    requests.length = 0
    await withEnv(env(), async () => {
      const client = createEc2Client('eu-west-1')
      const { Vpcs } = await client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
      expect(Vpcs).toEqual([{ VpcId: 'vpc-0abc', IsDefault: true }])
      expect(await client.config.maxAttempts()).toBe(MAX_ATTEMPTS)
    })
    expect(requests).toHaveLength(1)
    expect(requests[0].body).toContain('Action=DescribeVpcs')
    expect(requests[0].authorization).toContain('/eu-west-1/ec2/aws4_request')
  })

  it('surfaces EC2 errors with their code as the name, as errorCode reads them', async () => {
    requests.length = 0
    const error = await withEnv(env(), () =>
      createEc2Client('eu-west-1')
        .send(new DeleteSecurityGroupCommand({ GroupId: 'sg-0123' }))
        .then(
          () => new Error('expected an EC2 error'),
          (e: unknown) => e as Error
        )
    )
    expect(error.name).toBe('DependencyViolation')
    expect(errorCode(error)).toBe('DependencyViolation')
    expect(describeError(error)).toBe('DependencyViolation: resource sg-0123 has a dependent object')
    // Not a transient error: the SDK does not retry it.
    expect(requests).toHaveLength(1)
  })

  it('turns an expired token into a message that names no credential', async () => {
    const error = await withEnv(env(), () =>
      createEc2Client('eu-west-1')
        .send(new DeleteSecurityGroupCommand({ GroupId: 'sg-expired' }))
        .then(
          () => new Error('expected an EC2 error'),
          (e: unknown) => e as Error
        )
    )
    const message = credentialsError(error, 'deleting sg-expired')!.message
    expect(message).toMatch(
      /^the AWS credentials expired or were rejected \(ExpiredToken\) while deleting sg-expired; run destroy again with fresh credentials/
    )
    for (const secret of Object.values(FAKE_CREDENTIALS)) expect(message).not.toContain(secret)
  })

  it('prefers AWS_ENDPOINT_URL_EC2 to AWS_ENDPOINT_URL, and uses neither when unset', async () => {
    expect(ec2Endpoint({ AWS_ENDPOINT_URL_EC2: 'http://ec2.local:4566', AWS_ENDPOINT_URL: 'http://all.local:4566' })).toBe('http://ec2.local:4566')
    expect(ec2Endpoint({ AWS_ENDPOINT_URL: 'http://all.local:4566' })).toBe('http://all.local:4566')
    expect(ec2Endpoint({ AWS_ENDPOINT_URL_EC2: ' ' })).toBeUndefined()
    expect(() => ec2Endpoint({ AWS_ENDPOINT_URL_EC2: 'not a url' })).toThrow('AWS_ENDPOINT_URL_EC2: "not a url" is not a URL')
    const endpoint = await createEc2Client('eu-west-1', { AWS_ENDPOINT_URL: 'http://all.local:4566' }).config.endpoint!()
    expect(endpoint).toMatchObject({ protocol: 'http:', hostname: 'all.local', port: 4566 })
  })
})

describe('resolveRegion', () => {
  it('takes the input, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-2' }
    expect(resolveRegion('ap-south-1', env)).toBe('ap-south-1')
    expect(resolveRegion(' ', env)).toBe('eu-west-1')
    expect(resolveRegion('', { AWS_DEFAULT_REGION: 'us-gov-west-1' })).toBe('us-gov-west-1')
  })

  it('names the input when there is no region, and the source of a bad one', () => {
    expect(() => resolveRegion('', {})).toThrow(
      'no AWS region: set the input `aws-region` (or AWS_REGION, which aws-actions/configure-aws-credentials exports from its own `aws-region`)'
    )
    expect(() => resolveRegion('Europe', {})).toThrow('input `aws-region`: "Europe" is not an AWS region name such as eu-west-1')
    expect(() => resolveRegion('', { AWS_REGION: 'eu_west_1' })).toThrow('AWS_REGION: "eu_west_1" is not an AWS region name')
  })
})

describe('checkCredentials', () => {
  it('passes with an access key pair, with or without a session token', () => {
    expect(() => checkCredentials(FAKE_CREDENTIALS)).not.toThrow()
    expect(() => checkCredentials({ ...FAKE_CREDENTIALS, AWS_SESSION_TOKEN: undefined })).not.toThrow()
  })

  it('says what to do when there are none, naming variables, never values', () => {
    expect(() => checkCredentials({})).toThrow(
      /^driver `amazonec2` needs AWS credentials in the environment and there are none; add a step before this one: aws-actions\/configure-aws-credentials with `role-to-assume` \(OpenID Connect; the job needs `permissions: id-token: write`\)/
    )
    const halfSet = () => checkCredentials({ AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID })
    expect(halfSet).toThrow('driver `amazonec2`: AWS_SECRET_ACCESS_KEY is not set while its partner is')
    expect(halfSet).not.toThrow(FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID)
    expect(() => checkCredentials({ AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY })).toThrow(
      /^driver `amazonec2`: AWS_ACCESS_KEY_ID is not set/
    )
  })
})
