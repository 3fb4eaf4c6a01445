import * as core from '@actions/core'
import { checkCredentials, createEc2Client, resolveRegion } from '../drivers/ec2/client.js'
import { sweepExpiredClusters } from '../drivers/ec2/sweep.js'
import { checkRepository } from '../inputs/names.js'
import { Deadline } from '../tools/wait.js'
import { reportRemoval } from './report.js'

// The `sweep` action, for a scheduled workflow: removes every cluster of this repository whose
// `ttl` has passed, which catches what a runner that died never removed.

const SWEEP_SECONDS = 1800

try {
  checkCredentials()
  const region = resolveRegion(core.getInput('aws-region'))
  const given = core.getInput('repository').trim() || process.env.GITHUB_REPOSITORY
  if (!given) throw new Error('input `repository`: no repository given and GITHUB_REPOSITORY is not set')
  const repository = checkRepository(given)
  await core.group(`Sweeping expired clusters of ${repository} in ${region}`, async () => {
    const report = await sweepExpiredClusters(createEc2Client(region), {
      region,
      repository,
      pace: { deadline: new Deadline(SWEEP_SECONDS, `${SWEEP_SECONDS} s to sweep`) }
    })
    core.info(report.clusters.length ? `expired: ${report.clusters.join(', ')}` : 'no expired cluster')
    core.setOutput('clusters', JSON.stringify(report.clusters))
    await reportRemoval(`Expired clusters of ${repository} in ${region}`, report.removed, report.leftovers)
  })
} catch (error) {
  core.setFailed((error as Error).message)
}
