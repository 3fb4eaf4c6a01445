import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import {
  ACTION_EC2_ACTIONS,
  AWS_DRIVER_EC2_ACTIONS,
  ec2Actions,
  iamPolicy,
  MACHINE_EC2_ACTIONS,
  PASS_ROLE_ACTION,
  SPOT_EC2_ACTIONS
} from '../../../src/drivers/ec2/iam-policy.js'

/** `ec2:<Command>` of every `new <Command>Command(` in a folder's modules. */
function commandsSentBy(folder: string): string[] {
  const dir = path.join(process.cwd(), folder)
  const sent = new Set<string>()
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
    for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(/new (\w+)Command\(/g)) sent.add(`ec2:${match[1]}`)
  }
  return [...sent].sort()
}

describe('the IAM policy', () => {
  it('lists exactly the EC2 commands the shared EC2 code sends, CreateTags among them (tagging on create needs it too)', () => {
    expect(commandsSentBy('src/drivers/ec2')).toContain('ec2:CreateTags')
    expect(commandsSentBy('src/drivers/ec2')).toEqual([...ACTION_EC2_ACTIONS].sort())
  })

  it("lists exactly the EC2 commands the aws driver's own code sends; its policy adds nothing of docker-machine's", () => {
    const ownAndShared = [...new Set([...commandsSentBy('src/drivers/aws'), ...ACTION_EC2_ACTIONS])].sort()
    expect([...new Set([...AWS_DRIVER_EC2_ACTIONS, ...ACTION_EC2_ACTIONS])].sort()).toEqual(ownAndShared)
    expect(ec2Actions({ driver: 'aws' })).toEqual(ownAndShared)
    for (const machineOnly of ['ec2:DescribeSubnets', 'ec2:DescribeAccountAttributes', ...SPOT_EC2_ACTIONS])
      expect(ec2Actions({ driver: 'aws', spot: true })).not.toContain(machineOnly)
    expect(ec2Actions({ driver: 'aws' })).not.toContain(PASS_ROLE_ACTION)
    expect(ec2Actions({ driver: 'aws', instanceProfile: true })).toContain(PASS_ROLE_ACTION)
    expect(iamPolicy({ driver: 'aws' }).Statement[0].Sid).toBe('SetupSwarmAws')
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
    expect(iamPolicy({ driver: 'aws', instanceProfile: true }).Statement[0].Action.every((action) => /^(ec2|iam):[A-Z][A-Za-z]+$/.test(action))).toBe(
      true
    )
  })
})
