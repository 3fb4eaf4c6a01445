import * as core from '@actions/core'

/** Ends a destroy or sweep: what was removed in the log and the job summary, each leftover a warning, and a failure if any is left. */
export async function reportRemoval(title: string, removed: string[], leftovers: string[]): Promise<void> {
  for (const line of removed) core.info(`removed ${line}`)
  for (const line of leftovers) core.warning(line)
  if (process.env.GITHUB_STEP_SUMMARY) {
    const summary = core.summary.addHeading(title, 3)
    if (removed.length) summary.addRaw('Removed:').addList(removed)
    else summary.addRaw('Nothing to remove.\n')
    if (leftovers.length) summary.addRaw('Left behind, to remove by hand:').addList(leftovers)
    await summary.write().catch((error: Error) => core.warning(`could not write the job summary: ${error.message}`))
  }
  if (leftovers.length) core.setFailed(`${leftovers.length} resource(s) could not be removed; see the warnings above`)
}
