// The least an IAM role needs for `driver: aws` and `driver: amazonec2`, as data: docs/aws.md and a
// test read the same lists. EC2's Describe* actions cannot be limited to resources, and an instance that
// docker-machine has not tagged yet must still be terminable, so every statement is on "*".

/** EC2 actions this action calls itself (the modules of this folder, shared by both EC2 drivers). */
export const ACTION_EC2_ACTIONS = [
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:CreateSecurityGroup',
  // A kept cluster's new expiry; tagging on create (TagSpecifications) is authorized as CreateTags too.
  'ec2:CreateTags',
  'ec2:DeleteKeyPair',
  'ec2:DeleteSecurityGroup',
  'ec2:DescribeImages',
  'ec2:DescribeInstances',
  'ec2:DescribeKeyPairs',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeVpcs',
  'ec2:ImportKeyPair',
  'ec2:TerminateInstances'
]

/**
 * EC2 actions docker-machine's amazonec2 driver (v0.16.2, drivers/amazonec2/amazonec2.go) calls
 * for the commands the action runs: create, inspect, ls and rm. Start, stop, restart and kill
 * (StartInstances, StopInstances, RebootInstances) are never run.
 */
export const MACHINE_EC2_ACTIONS = [
  'ec2:AuthorizeSecurityGroupIngress', // configureSecurityGroups, unless --amazonec2-security-group-readonly
  'ec2:CreateSecurityGroup', // configureSecurityGroups, when the named group does not exist
  'ec2:CreateTags', // configureTags: Name and --amazonec2-tags, once the instance runs
  'ec2:DeleteKeyPair', // Remove, for a key pair it imported
  'ec2:DescribeAccountAttributes', // getDefaultVPCId, without --amazonec2-vpc-id
  'ec2:DescribeInstances', // getInstance: state and address
  'ec2:DescribeKeyPairs', // checkPrereqs: the key pair name is free
  'ec2:DescribeSecurityGroups', // configureSecurityGroups
  'ec2:DescribeSubnets', // PreCreateCheck and checkPrereqs: the subnet of the zone and VPC
  'ec2:ImportKeyPair', // createKeyPair
  'ec2:RunInstances', // innerCreate
  'ec2:TerminateInstances' // Remove
]

/** EC2 actions the `aws` driver calls itself (src/drivers/aws/), beyond the shared ones. */
export const AWS_DRIVER_EC2_ACTIONS = [
  'ec2:CreateTags', // each instance's Name, after the launch that tagged it with the cluster's tags
  'ec2:DescribeInstances', // the instance runs, and its addresses
  'ec2:GetConsoleOutput', // the SSH host keys, to verify the host
  'ec2:RunInstances' // with TagSpecifications: instance and volume tagged at creation (authorized as CreateTags too)
]

/** `--iam-instance-profile`: the role of the profile is handed to the instances. */
export const PASS_ROLE_ACTION = 'iam:PassRole'

/** Only with --amazonec2-request-spot-instance. */
export const SPOT_EC2_ACTIONS = ['ec2:CancelSpotInstanceRequests', 'ec2:DescribeSpotInstanceRequests', 'ec2:RequestSpotInstances']

export type Ec2Driver = 'aws' | 'amazonec2'

/**
 * Every action of a run of `driver`, sorted, each once. `spot`: amazonec2's spot requests (the `aws`
 * driver's --spot is part of RunInstances); `instanceProfile`: iam:PassRole, for `aws`'s --iam-instance-profile.
 */
export function ec2Actions(options: { driver?: Ec2Driver; spot?: boolean; instanceProfile?: boolean } = {}): string[] {
  const own =
    options.driver === 'aws'
      ? [...AWS_DRIVER_EC2_ACTIONS, ...(options.instanceProfile ? [PASS_ROLE_ACTION] : [])]
      : [...MACHINE_EC2_ACTIONS, ...(options.spot ? SPOT_EC2_ACTIONS : [])]
  return [...new Set([...ACTION_EC2_ACTIONS, ...own])].sort()
}

export interface PolicyDocument {
  Version: '2012-10-17'
  Statement: Array<{ Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' }>
}

/** The IAM policy document for the role the workflow assumes. */
export function iamPolicy(options: Parameters<typeof ec2Actions>[0] = {}): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: options.driver === 'aws' ? 'SetupSwarmAws' : 'SetupSwarmAmazonEc2', Effect: 'Allow', Action: ec2Actions(options), Resource: '*' }
    ]
  }
}
