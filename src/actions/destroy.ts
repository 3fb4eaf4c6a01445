import * as core from '@actions/core'
import { checkCredentials, createEc2Client, resolveRegion } from '../drivers/machine/amazonec2/client.js'
import { destroyCluster } from '../drivers/machine/amazonec2/destroy.js'
import { Deadline } from '../wait.js'
import { reportRemoval } from './report.js'

// The `destroy` action: removes a kept cluster by its name from any job or workflow (a pull
// request's environment when it closes), with no state from the job that made it: EC2 finds
// everything by the cluster's tags.

const DESTROY_SECONDS = 900

try {
  const name = core.getInput('name', { required: true }).trim()
  const driver = core.getInput('driver').trim() || 'amazonec2'
  if (driver !== 'amazonec2')
    throw new Error(
      `input \`driver\`: destroy by name removes \`amazonec2\` clusters; a ${driver} cluster is removed by the post step of the job that made it`
    )
  checkCredentials()
  const region = resolveRegion(core.getInput('aws-region'))
  const repository = process.env.GITHUB_REPOSITORY
  await core.group(`Destroying cluster ${name} in ${region}`, async () => {
    const report = await destroyCluster(createEc2Client(region), {
      cluster: name,
      region,
      repository,
      pace: { deadline: new Deadline(DESTROY_SECONDS, `${DESTROY_SECONDS} s to destroy the cluster`) }
    })
    await reportRemoval(`Cluster ${name} destroyed`, report.removed, report.leftovers)
  })
} catch (error) {
  core.setFailed((error as Error).message)
}
