import * as core from '@actions/core'
import { runnerDocker } from '../engine/docker-cli.js'
import { composeBuilds, buildArgs, parseBuildLines, type ImageBuild } from '../workload/build-plan.js'

// The build action (build/action.yml): the job's images, built on the runner's own engine, where
// setup-swarm's `images` input reads them from. The swarm-test and pr-environment workflows run it
// before setup-swarm; any workflow can.

const DEFAULT_TIMEOUT_SECONDS = 1800

try {
  // Contexts and compose files are relative to the caller's working directory, as its other steps see them.
  const workingDirectory = core.getInput('working-directory').trim() || '.'
  try {
    process.chdir(workingDirectory)
  } catch (error) {
    throw new Error(`input \`working-directory\`: cannot enter ${workingDirectory}: ${(error as Error).message}`, { cause: error })
  }
  const images: ImageBuild[] = [
    ...parseBuildLines(core.getInput('images')),
    ...core
      .getInput('compose-files')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .flatMap((file) => composeBuilds(file))
  ]
  const seconds = Number(core.getInput('timeout').trim() || DEFAULT_TIMEOUT_SECONDS)
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`input \`timeout\`: "${core.getInput('timeout')}" is not a whole number of seconds`)
  const deadline = Date.now() + seconds * 1000
  const docker = runnerDocker()
  for (const image of images) {
    await core.group(`Building ${image.tag} from ${image.context}`, async () => {
      const result = await docker(buildArgs(image), { allowFailure: true, timeoutMs: Math.max(1000, deadline - Date.now()) })
      core.info(`${result.stdout}${result.stderr}`.trim())
      if (result.code !== 0) throw new Error(`building ${image.tag} (${image.from}) failed: ${result.stderr.trim().split('\n').slice(-5).join('\n')}`)
    })
  }
  core.setOutput('images', [...new Set(images.map((image) => image.tag))].join('\n'))
} catch (error) {
  core.setFailed((error as Error).message)
}
