import type { Inputs, NodeSpec } from '../../inputs/index.js'

// The `aws` driver's own options, given where docker-machine flags go for the other drivers
// (`driver-opts`, `manager-opts`, `worker-opts`, `nodes[].opts`): amazonec2's flag names without
// the `--amazonec2-` prefix, so that moving a workflow from one driver to the other is a rename.

export interface InstanceOptions {
  instanceType: string
  /** Canonical's newest Ubuntu LTS of the instance type's CPU when not given. */
  ami?: string
  vpcId?: string
  subnetId?: string
  /** GiB of the encrypted gp3 root volume. */
  rootSize: number
  spot: boolean
  /** An instance profile's name, or its ARN. */
  iamInstanceProfile?: string
  /** The runner reaches the instances on their private addresses (a self-hosted runner in the VPC). */
  privateAddressOnly: boolean
  /** The AMI's login user, whom cloud-init gives the cluster's key. */
  sshUser: string
}

export const DEFAULTS = { instanceType: 't3.small', rootSize: 16, sshUser: 'ubuntu' }

type OptionKind = 'value' | 'switch'
const OPTIONS: Record<string, { kind: OptionKind; apply: (options: InstanceOptions, value: string, where: string) => void }> = {
  '--instance-type': { kind: 'value', apply: (o, v, where) => (o.instanceType = matching(v, /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, where, 't3.small')) },
  '--ami': { kind: 'value', apply: (o, v, where) => (o.ami = matching(v, /^ami-[0-9a-f]{8,17}$/, where, 'ami-0123456789abcdef0')) },
  '--vpc-id': { kind: 'value', apply: (o, v, where) => (o.vpcId = matching(v, /^vpc-[0-9a-f]{8,17}$/, where, 'vpc-0123456789abcdef0')) },
  '--subnet-id': { kind: 'value', apply: (o, v, where) => (o.subnetId = matching(v, /^subnet-[0-9a-f]{8,17}$/, where, 'subnet-0123456789abcdef0')) },
  '--root-size': { kind: 'value', apply: (o, v, where) => (o.rootSize = gibibytes(v, where)) },
  '--spot': { kind: 'switch', apply: (o) => (o.spot = true) },
  '--iam-instance-profile': {
    kind: 'value',
    apply: (o, v, where) =>
      (o.iamInstanceProfile = matching(v, /^([\w+=,.@-]{1,128}|arn:aws[\w-]*:iam::\d{12}:instance-profile\/[\w+=,.@/-]+)$/, where, 'swarm-nodes'))
  },
  '--private-address-only': { kind: 'switch', apply: (o) => (o.privateAddressOnly = true) },
  '--ssh-user': { kind: 'value', apply: (o, v, where) => (o.sshUser = matching(v, /^[a-z_][a-z0-9_-]{0,31}$/, where, 'ubuntu')) }
}

export const OPTION_NAMES = Object.keys(OPTIONS)

function matching(value: string, shape: RegExp, where: string, example: string): string {
  if (!shape.test(value)) throw new Error(`${where}: "${value}" is not valid here, expected something like ${example}`)
  return value
}

function gibibytes(value: string, where: string): number {
  const size = Number(value)
  if (!/^\d+$/.test(value) || size < 8 || size > 16384) throw new Error(`${where}: "${value}" is not a size in GiB from 8 to 16384`)
  return size
}

/** One node's options: `driver-opts` first, then its role's and its own (`createOpts`); a later one wins. */
export function parseInstanceOptions(words: string[], input: string): InstanceOptions {
  const options: InstanceOptions = { ...DEFAULTS, spot: false, privateAddressOnly: false }
  for (let index = 0; index < words.length; index++) {
    const [flag, inline] = words[index].split(/=(.*)/s, 2)
    const option = OPTIONS[flag]
    if (!option) {
      throw new Error(
        `input \`${input}\`: unknown option "${words[index]}" of driver \`aws\`; its options are ${OPTION_NAMES.join(', ')} (docker-machine's --amazonec2-* flags are for driver \`amazonec2\`)`
      )
    }
    const where = `input \`${input}\`, option ${flag}`
    if (option.kind === 'switch') {
      if (inline !== undefined) throw new Error(`${where}: takes no value`)
      option.apply(options, '', where)
      continue
    }
    const value = inline ?? words[++index]
    if (value === undefined || value.startsWith('--')) throw new Error(`${where}: needs a value`)
    option.apply(options, value, where)
  }
  if (Boolean(options.vpcId) !== Boolean(options.subnetId)) {
    throw new Error(
      `input \`${input}\`: --vpc-id and --subnet-id go together (the subnet the instances start in, and its VPC, where the cluster's security group is made); give both, or neither for the default VPC`
    )
  }
  return options
}

/** Each node's options, checked before anything is created; the inputs name where a bad one came from. */
export function nodeOptions(inputs: Inputs): Map<NodeSpec, InstanceOptions> {
  // A node's createOpts hold its role's opts and its own, so an error names every input they come from.
  const input = (node: NodeSpec) => (node.createOpts.length ? `driver-opts\`/\`${node.role}-opts\`/\`nodes` : 'driver-opts')
  return new Map(inputs.nodes.map((node) => [node, parseInstanceOptions([...inputs.machine.driverOpts, ...node.createOpts], input(node))]))
}

/** Every node must be in one VPC: the cluster has one security group. */
export function clusterVpc(options: InstanceOptions[]): string | undefined {
  const vpcs = [...new Set(options.map((option) => option.vpcId))]
  if (vpcs.length > 1) {
    throw new Error(
      `inputs \`driver-opts\`/\`*-opts\`/\`nodes\`: the nodes name ${vpcs.map((vpc) => vpc ?? 'the default VPC').join(' and ')}; a cluster lives in one VPC, give every node the same --vpc-id`
    )
  }
  return vpcs[0]
}
