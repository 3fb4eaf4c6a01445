import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ACTION_EC2_ACTIONS, ec2Actions, iamPolicy, MACHINE_EC2_ACTIONS, SPOT_EC2_ACTIONS } from '../../../src/drivers/ec2/iam-policy.js'

const SOURCE_DIR = path.join(process.cwd(), 'src/drivers/ec2')

describe('the IAM policy', () => {
  it("lists exactly the EC2 commands this action's code sends, CreateTags among them (tagging on create needs it too)", () => {
    const sent = new Set<string>()
    for (const file of readdirSync(SOURCE_DIR).filter((name) => name.endsWith('.ts'))) {
      for (const match of readFileSync(path.join(SOURCE_DIR, file), 'utf8').matchAll(/new (\w+)Command\(/g)) sent.add(`ec2:${match[1]}`)
    }
    expect(sent).toContain('ec2:CreateTags')
    expect([...sent].sort()).toEqual([...ACTION_EC2_ACTIONS].sort())
  })

  it("covers docker-machine's create, inspect, ls and rm; spot requests only when asked", () => {
    expect(MACHINE_EC2_ACTIONS).toEqual(
      expect.arrayContaining(['ec2:RunInstances', 'ec2:DescribeSubnets', 'ec2:DescribeAccountAttributes', 'ec2:ImportKeyPair', 'ec2:CreateTags'])
    )
    const actions = ec2Actions()
    expect(actions).toEqual([...new Set(actions)].sort())
    expect(actions).toHaveLength(15)
    for (const spot of SPOT_EC2_ACTIONS) expect(actions).not.toContain(spot)
    expect(ec2Actions({ spot: true })).toEqual(expect.arrayContaining(SPOT_EC2_ACTIONS))
  })

  it('is one Allow statement on EC2 actions only', () => {
    const policy = iamPolicy()
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'SetupSwarmAmazonEc2', Effect: 'Allow', Action: ec2Actions(), Resource: '*' }]
    })
    expect(policy.Statement[0].Action.every((action) => /^ec2:[A-Z][A-Za-z]+$/.test(action))).toBe(true)
  })
})
