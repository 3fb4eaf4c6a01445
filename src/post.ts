import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { rm, rmdir } from 'node:fs/promises'
import path from 'node:path'
import { run } from './command.js'
import { removerFor } from './drivers/index.js'
import { loadState } from './state.js'

export async function runPost(): Promise<void> {
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
    const left = await removerFor(state.driver)(state).catch((error: Error) => [`the ${state.driver} nodes: ${error.message}`])
    const filesStarted = Date.now()
    if (existsSync(state.dir)) {
      // Local node data is written by engines running as root.
      const removal = state.driver === 'local' ? run('rm', ['-rf', '--', state.dir], { privileged: true, timeoutMs: 60_000 }) : rm(state.dir, { recursive: true, force: true })
      await removal.catch((error: Error) => left.push(`${state.dir}: ${error.message}`))
    }
    core.debug(`removing ${state.dir} took ${Date.now() - filesStarted} ms`)
    // The parent is shared by the clusters of a job: it goes when the last one goes.
    await rmdir(path.dirname(state.dir)).catch(() => undefined)
    if (left.length) {
      core.warning(`setup-swarm could not remove everything; remove these by hand:\n- ${left.join('\n- ')}`)
    } else {
      core.info(`removed swarm ${state.name} in ${((Date.now() - started) / 1000).toFixed(2)} s`)
    }
  })
}
