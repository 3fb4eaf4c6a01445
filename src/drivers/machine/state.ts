import type { Ec2State } from '../ec2/cluster.js'

/** What a docker-machine cluster's main hands its post, its fault steps and diagnostics. */
export interface MachineState {
  binary: string
  /** The binary's SHA-256 as the installer verified it: diagnostics run it only while it still has it. */
  sha256?: string
  /** Every machine main is about to create, recorded before its create starts. */
  machines: string[]
  /** amazonec2: the cluster's EC2 resources, which post removes through the EC2 API. */
  ec2?: Ec2State
}
