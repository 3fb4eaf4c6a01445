import type { FakeCredentials, FakeEc2 } from '../fixtures/fake-ec2.js'

// What a step of an amazonec2 job sees, with no AWS account: the credentials and region
// aws-actions/configure-aws-credentials would export, the fake EC2 as the endpoint (for the action
// and for the stand-in docker-machine in its API mode), and where each machine's "instance" is.

export const credentialEnv = (c: FakeCredentials) => ({
  AWS_ACCESS_KEY_ID: c.accessKeyId,
  AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
  AWS_SESSION_TOKEN: c.sessionToken!
})

export interface Ec2StepSetup {
  fake: FakeEc2
  credentials: FakeCredentials
  region: string
  repository: string
  toolCache: string
  /** FAKE_MACHINE_LOG: one line per docker-machine call. */
  machineLog: string
  /** FAKE_MACHINE_EC2_HOSTS: each machine's addresses. */
  placed: Record<string, unknown>
}

export const ec2StepEnv = (setup: Ec2StepSetup): Record<string, string> => ({
  ...credentialEnv(setup.credentials),
  AWS_REGION: setup.region,
  AWS_ENDPOINT_URL_EC2: setup.fake.url,
  // Nothing may fall back to the instance metadata service (an address off this machine).
  AWS_EC2_METADATA_DISABLED: 'true',
  GITHUB_REPOSITORY: setup.repository,
  RUNNER_TOOL_CACHE: setup.toolCache,
  FAKE_MACHINE_LOG: setup.machineLog,
  FAKE_MACHINE_EC2_API: '1',
  // The action's default docker-machine is the GitLab fork: instances tagged at launch.
  FAKE_MACHINE_GITLAB: '1',
  FAKE_MACHINE_EC2_HOSTS: JSON.stringify(setup.placed)
})
