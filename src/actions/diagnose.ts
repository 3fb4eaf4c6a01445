import * as core from '@actions/core'
import { runDiagnostics } from '../diagnostics/index.js'
import { driverFor } from '../drivers/index.js'
import { checkClusterName } from '../inputs/names.js'
import { currentOwner } from '../state/owner.js'
import { findCluster } from '../state/record.js'

// The diagnose action (diagnose/action.yml), for a step after setup-swarm that failed: a JavaScript
// action's post step cannot see whether the job failed, so the workflow runs this one with
// `if: failure()`. It finds the cluster by `name`, or the only one on the runner, and never fails
// the job by itself.
try {
  const name = core.getInput('name').trim()
  const record = await findCluster(name && checkClusterName(name), currentOwner())
  const result = await runDiagnostics(record, await driverFor(record.driver), {
    reason: 'A step of the job failed',
    artifactName: core.getInput('artifact-name').trim() || undefined
  })
  if (result?.upload.uploaded && result.upload.id !== undefined) core.setOutput('artifact-id', String(result.upload.id))
} catch (error) {
  core.warning(`setup-swarm diagnose: ${(error as Error).message}`)
}
// Bounded: an upload that outlived its own bound does not keep the step running.
process.exit(0)
