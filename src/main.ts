import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { createCluster } from './cluster/create.js'
import { findKeptCluster, reuseCluster } from './cluster/reuse.js'
import { runDiagnostics } from './diagnostics/index.js'
import type { DriverFor } from './drivers/driver.js'
import { requireDockerCli } from './engine/docker-cli.js'
import type { RunnerImage } from './engine/image-identity.js'
import type { ClientCertDir } from './engine/tls.js'
import { parseInputs } from './inputs/index.js'
import { writeOutputs } from './outputs/step-outputs.js'
import { type Timing, writeSummary } from './outputs/summary.js'
import { clusterDir, saveState, type ClusterState } from './state/cluster.js'
import { currentOwner } from './state/owner.js'
import { writeClusterRecord, type ClusterRecord } from './state/record.js'
import type { Swarm } from './swarm/members.js'
import { allSettledInOrder, Deadline } from './tools/wait.js'
import { findRunnerImages, loadImages, type LoadReport } from './workload/images.js'
import { deployStack, planStack, readStack, type ServiceOutput, type StackPlan } from './workload/stack.js'

export async function runMain(driverFor: DriverFor): Promise<void> {
  const timings: Timing[] = []
  const phase = <T>(title: string, work: () => Promise<T>): Promise<T> =>
    core.group(title, async () => {
      const started = Date.now()
      try {
        return await work()
      } finally {
        timings.push({ phase: title, seconds: (Date.now() - started) / 1000 })
      }
    })
  let swarm: Swarm | undefined
  let title = 'setup-swarm'
  let createdAnything = false
  let diagnostics = false
  let keptCluster = false
  // Once nodes exist: what diagnostics (here on a failure, or in a later step) need to find them.
  let record: ClusterRecord | undefined
  let services: ServiceOutput[] | undefined
  try {
    const inputs = await phase('Reading inputs', () => Promise.resolve(parseInputs()))
    // Whose cluster this is: recorded when it is made, and checked before a kept one is used.
    const owner = currentOwner()
    diagnostics = inputs.diagnostics
    const driver = await driverFor(inputs.driver)
    title = `Swarm ${inputs.name} (${inputs.driver})`
    const kept = !inputs.cleanup
    keptCluster = kept
    const dir = clusterDir(inputs.name, kept)
    let images: RunnerImage[] = []
    let stack: StackPlan | undefined
    await phase('Checking the runner', async () => {
      requireDockerCli()
      if (!kept && existsSync(dir)) {
        throw new Error(`a cluster named "${inputs.name}" already exists on this runner (${dir}); give each setup-swarm step its own \`name\``)
      }
      // A missing image or a broken compose file fails here, before anything is created. The checks
      // run side by side; the driver's error, which the user fixes first, is the one reported.
      const [, found, read] = await allSettledInOrder([
        driver.preflight(inputs),
        inputs.images.length ? findRunnerImages(inputs.images) : Promise.resolve([]),
        inputs.stack ? readStack(inputs.stack) : Promise.resolve(undefined)
      ])
      images = found
      stack = read && planStack(read, images)
    })
    const found = kept ? await phase(`Looking for a kept cluster named ${inputs.name}`, () => findKeptCluster(inputs, owner, driver, dir)) : undefined
    const deadline = new Deadline(inputs.timeoutSeconds, `${inputs.timeoutSeconds} s to create and form the swarm`)
    const workDeadline = new Deadline(inputs.timeoutSeconds, `${inputs.timeoutSeconds} s to load the images and converge the stack`)
    let client: ClientCertDir
    let state: ClusterState
    let loading: Promise<LoadReport> | undefined

    if (found) {
      const reused = await phase(`Checking kept swarm ${inputs.name}`, () => reuseCluster(inputs, owner, found, dir, deadline))
      ;({ state, client, swarm, record } = reused)
      saveState(state)
      await writeClusterRecord(reused.record)
      core.info(`reusing kept swarm ${inputs.name}: every node answers and is Ready`)
      await driver
        .renewKept?.(inputs)
        .catch((error: Error) =>
          core.warning(
            `kept swarm ${inputs.name}: could not renew its expiry (\`ttl\`): ${error.message}. The sweep removes it once its old expiry has passed; until then it works as before`
          )
        )
      loading = images.length ? loadImages(swarm.members, images, client, workDeadline) : undefined
      loading?.catch(() => undefined) // awaited below
    } else {
      const made = await createCluster({
        inputs,
        owner,
        driver,
        dir,
        images,
        deadline,
        workDeadline,
        phase,
        stackName: stack?.name,
        onStarted: () => (createdAnything = true),
        onRecord: (made) => (record = made)
      })
      ;({ state, client, swarm, loading } = made)
    }
    writeOutputs(inputs.name, swarm, client, inputs.exportEnv)
    core.info(`swarm ${inputs.name} is ready: ${swarm.members.map((m) => `${m.name} (${m.role}, ${m.ip})`).join(', ')}`)
    const pending = loading
    const loaded = pending && (await phase(`Loading ${images.length} image(s) into ${swarm.members.length} node(s)`, () => pending))
    const imageIds = loaded ? loaded.nodeIds : {}
    if (stack) {
      const plan = stack
      const members = swarm.members
      services = await phase(`Deploying stack ${plan.name}`, () =>
        deployStack(plan, { members, client, dir: state.dir, deadline: workDeadline, imageIds })
      )
      core.setOutput('services', JSON.stringify(services))
    }
  } catch (error) {
    core.setFailed(`${(error as Error).message}${afterFailure(createdAnything, keptCluster)}`)
    if (record && diagnostics) {
      await runDiagnostics(record, await driverFor(record.driver), {
        reason: `Main failed: ${(error as Error).message.split('\n')[0]}`,
        secrets: swarm ? [swarm.workerToken, swarm.managerToken] : []
      })
    }
  } finally {
    await writeSummary(title, swarm, timings, services).catch((error: Error) => core.warning(`could not write the job summary: ${error.message}`))
  }
}

/** What happens to what main made, after it failed. */
function afterFailure(createdAnything: boolean, kept: boolean): string {
  if (!createdAnything) return ''
  if (kept)
    return '\nThe cluster is kept (`cleanup: false`): a later run with the same `name` reuses it once healthy; destroy it by name (setup-swarm/destroy) otherwise.'
  return '\nThe post step removes whatever was created.'
}
