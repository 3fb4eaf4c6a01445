import * as core from '@actions/core'
import { rm, rmdir } from 'node:fs/promises'
import path from 'node:path'
import type { DriverFor } from './drivers/driver.js'
import { loadState } from './state/cluster.js'

export async function runPost(driverFor: DriverFor): Promise<void> {
  const state = loadState()
  if (!state) {
    core.info('setup-swarm created nothing in main: nothing to remove')
    return
  }
  if (!state.cleanup) {
    core.info(`cleanup is false: kept swarm ${state.name} (driver ${state.driver}) and its files in ${state.dir}`)
    return
  }
  const started = Date.now()
  await core.group(`Removing swarm ${state.name} (${state.driver})`, async () => {
    const left = await driverFor(state.driver)
      .then((driver) => driver.remove(state))
      .catch((error: Error) => [`the ${state.driver} nodes: ${error.message}`])
    await rm(state.dir, { recursive: true, force: true }).catch((error: Error) => left.push(`${state.dir}: ${error.message}`))
    // The parent is shared by the clusters of a job: it goes when the last one goes.
    await rmdir(path.dirname(state.dir)).catch(() => undefined)
    const seconds = ((Date.now() - started) / 1000).toFixed(2)
    if (left.length) {
      core.warning(`setup-swarm could not remove everything; remove these by hand:\n- ${left.join('\n- ')}`)
    } else {
      core.info(`removed swarm ${state.name} in ${seconds} s`)
    }
    await writePostSummary(state.name, seconds, left)
  })
}

async function writePostSummary(name: string, seconds: string, left: string[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const summary = core.summary.addHeading(`Swarm ${name} removed`, 3)
  if (left.length) summary.addRaw('Left behind, to remove by hand:').addList(left)
  else summary.addRaw(`Everything removed in ${seconds} s.`)
  await summary.write().catch((error: Error) => core.warning(`could not write the job summary: ${error.message}`))
}
