import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chownSync, mkdtempSync } from 'node:fs'
import path from 'node:path'
import { localDriver } from '../../src/drivers/local/index.js'
import type { LocalState } from '../../src/drivers/local/names.js'
import type { EngineNode } from '../../src/engine/node.js'
import { type RunTls } from '../../src/engine/tls.js'
import type { ClusterState } from '../../src/state/cluster.js'
import { startReleaseServer } from '../fixtures/release-server.js'
import { Job, TEST_TMP, type StepResult } from '../harness/action.js'
import { docker } from '../harness/docker.js'
import { removeTestClusters } from '../harness/host.js'
import { MACHINE_VERSION, noneNodes, STAND_IN, standInInputs, startTestHosts } from '../harness/hosts.js'
import { startRunnerEngine, type RunnerEngine } from '../harness/runner-engine.js'
import { runnerUser } from '../harness/runner-user.js'

// Images into nodes that are not on this runner's disk (every docker-machine driver): over the
// nodes' TLS API, streamed from one `docker save`. The hosts are plain engines behind the stand-in
// docker-machine (driver `none`); they outlive a cluster, so a second cluster finds the images there.

const IMAGE = 'integ/app:1'

let hosts: EngineNode[]
let hostTls: RunTls
let hostState: ClusterState<LocalState>
let release: Awaited<ReturnType<typeof startReleaseServer>>
let engine: RunnerEngine
/** The image's ID on the hosts, which keep the graph driver's store (as the local driver's nodes do): its config's digest. */
let hostImageId: string
const toolCache = mkdtempSync(path.join(TEST_TMP, 'tool-cache-'))
chownSync(toolCache, runnerUser()!.uid, runnerUser()!.gid)

beforeAll(async () => {
  ;({ hosts, tls: hostTls, state: hostState } = await startTestHosts('integ-hosts'))
  release = await startReleaseServer({ version: MACHINE_VERSION, binaryPath: STAND_IN, checksumStyle: 'gitlab' })
  engine = await startRunnerEngine('integ-machine')
  engine.buildImage(IMAGE)
  hostImageId = engine.configDigest(IMAGE)
})

afterAll(async () => {
  await release?.close()
  if (hostState) await localDriver.remove(hostState)
  await engine?.stop()
  removeTestClusters()
})

const hostEnv = (host: EngineNode) => ({ DOCKER_HOST: host.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: hostTls.client.dir })

function mainWithImages(job: Job, name: string): Promise<StepResult> {
  return job.run('main', {
    inputs: {
      driver: 'none',
      name,
      images: IMAGE,
      ...standInInputs(release.url, hostTls),
      nodes: noneNodes(hosts)
    },
    env: { RUNNER_TOOL_CACHE: toolCache, FAKE_MACHINE_LOG: path.join(job.dir, 'machine.log'), ...engine.env }
  })
}

describe('images into docker-machine nodes, over their TLS API', () => {
  const first = new Job()
  const second = new Job()
  let loaded: StepResult
  let again: StepResult

  beforeAll(async () => {
    loaded = await mainWithImages(first, 'integ-dm1')
    await first.run('post', { state: loaded.state })
    // The hosts outlive the first cluster, and their images with them.
    again = await mainWithImages(second, 'integ-dm2')
    await second.run('post', { state: again.state })
  })

  it("loads the image into every node at once, reading the runner's engine once, the same image as the runner's", async () => {
    expect(loaded.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(loaded.code).toBe(0)
    expect(loaded.stdout).toContain(`loading ${IMAGE} into integ-dm1-manager-1, integ-dm1-worker-1, integ-dm1-worker-2`)
    expect(loaded.stdout).toMatch(/loaded 1 image\(s\), [\d.]+ MB read once from the runner's engine, into 3 node\(s\)/)
    for (const host of hosts) expect(await docker(hostEnv(host), ['image', 'inspect', '--format', '{{.Id}}', IMAGE])).toBe(hostImageId)
  })

  it('skips every node that already holds the same image', () => {
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('already holding every image (same image), skipped: integ-dm2-manager-1, integ-dm2-worker-1, integ-dm2-worker-2')
    expect(again.stdout).not.toMatch(/^loading /m) // a line of its own: tool-cache's debug lines say "Downloading"
  })
})
