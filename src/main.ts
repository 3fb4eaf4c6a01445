import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import type { DriverFor, EngineNode } from './drivers/driver.js'
import { parseInputs } from './inputs.js'
import { writeOutputs, writeSummary, type Timing } from './outputs.js'
import { clusterDir, clusterPaths, saveState, type ClusterState, type SwarmIdentity } from './state.js'
import { requireDockerCli, SwarmFormation, type Swarm } from './swarm.js'
import { makePrivateDir, prepareRunTls } from './tls.js'
import { Deadline } from './wait.js'

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
  try {
    const inputs = await phase('Reading inputs', () => Promise.resolve(parseInputs()))
    const driver = driverFor(inputs.driver)
    title = `Swarm ${inputs.name} (${inputs.driver})`
    const dir = clusterDir(inputs.name)
    await phase('Checking the runner', async () => {
      requireDockerCli()
      if (existsSync(dir)) {
        throw new Error(`a cluster named "${inputs.name}" already exists on this runner (${dir}); give each setup-swarm step its own \`name\``)
      }
      await driver.preflight(inputs)
    })

    // From here on things exist: the state names each before it is created.
    const state: ClusterState = { name: inputs.name, driver: inputs.driver, cleanup: inputs.cleanup, dir }
    saveState(state)
    createdAnything = true
    await makePrivateDir(state.dir)
    const deadline = new Deadline(inputs.timeoutSeconds, `${inputs.timeoutSeconds} s to create and form the swarm`)
    const paths = clusterPaths(state.dir)
    const tls = await phase('Creating certificates', () => prepareRunTls(paths.clientCerts, paths.ca, inputs.tls))
    const onInitialised = (identity: SwarmIdentity) => {
      state.swarm = identity
      saveState(state)
    }
    const formation = await SwarmFormation.start(inputs.nodes[0].name, {
      initOpts: inputs.swarmInitOpts,
      client: tls.client,
      deadline,
      onInitialised
    })
    try {
      const context = { inputs, state, saveState: () => saveState(state), tls, deadline, nodeReady: (node: EngineNode) => formation.add(node) }
      if (driver.prepare) await phase(`Preparing the ${inputs.driver} driver`, () => driver.prepare!(context))
      const managers = inputs.nodes.filter((node) => node.role === 'manager').length
      const nodes = await phase(`Creating ${managers} manager(s) and ${inputs.nodes.length - managers} worker(s) with driver ${inputs.driver}`, () =>
        driver.create(inputs.nodes, context)
      )
      swarm = await phase('Forming the swarm', () => formation.finish(nodes))
    } finally {
      formation.close()
    }
    writeOutputs(inputs.name, swarm, tls.client, inputs.exportEnv)
    core.info(`swarm ${inputs.name} is ready: ${swarm.members.map((m) => `${m.name} (${m.role}, ${m.ip})`).join(', ')}`)
  } catch (error) {
    core.setFailed(`${(error as Error).message}${createdAnything ? '\nThe post step removes whatever was created.' : ''}`)
  } finally {
    await writeSummary(title, swarm, timings).catch((error: Error) => core.warning(`could not write the job summary: ${error.message}`))
  }
}
