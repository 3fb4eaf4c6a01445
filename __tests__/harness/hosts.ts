import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import path from 'node:path'
import { currentOwner } from '../../src/state/owner.js'
import type { EngineNode } from '../../src/engine/node.js'
import { localDriver } from '../../src/drivers/local/index.js'
import type { LocalState } from '../../src/drivers/local/names.js'
import { planNodes } from '../../src/inputs/node-list.js'
import type { ClusterState } from '../../src/state/cluster.js'
import { prepareRunTls, type RunTls } from '../../src/engine/tls.js'
import { Deadline } from '../../src/tools/wait.js'
import { ROOT, TEST_TMP } from './action.js'
import { runnerUser } from './runner-user.js'

export interface TestHosts {
  hosts: EngineNode[]
  /** A CA and client the user keeps: the `tls-*` inputs for docker-machine's `none`/`generic` hosts. */
  tls: RunTls
  state: ClusterState<LocalState>
}

/**
 * One manager's and two workers' worth of plain engines (no swarm), the user's own hosts for the
 * docker-machine drivers: made with the local driver, TLS from a CA the test owns, whose files
 * belong to the runner user as a user's `tls-*` files would.
 */
export async function startTestHosts(name: string): Promise<TestHosts> {
  const dir = mkdtempSync(path.join(TEST_TMP, `${name}-`))
  const state: ClusterState<LocalState> = { name, driver: 'local', cleanup: true, dir, owner: currentOwner() }
  const tls = await prepareRunTls(path.join(dir, 'tls'), path.join(dir, 'ca'), undefined)
  execFileSync('chown', ['-R', `${runnerUser()!.uid}:${runnerUser()!.gid}`, dir])
  await localDriver.preflight({ name } as never)
  const nodes = planNodes(name, 1, 2, { manager: [], worker: [] })
  await localDriver.claim!({ name, nodes } as never, state, () => undefined)
  const hosts = await localDriver.create(nodes, {
    inputs: {} as never,
    state,
    saveState: () => undefined,
    tls,
    deadline: new Deadline(60, 'test hosts'),
    nodeReady: () => undefined
  })
  return { hosts, tls, state }
}

/** The `tls-*` inputs that hand the hosts' CA and client to the action. */
export const tlsInputs = (tls: RunTls): Record<string, string> => ({
  'tls-ca-cert': tls.files.caCert,
  'tls-ca-key': tls.files.caKey,
  'tls-client-cert': tls.files.clientCert,
  'tls-client-key': tls.files.clientKey
})

/** The stand-in docker-machine, served to the action as a release of this version. */
export const STAND_IN = path.join(ROOT, '__tests__', 'fixtures', 'docker-machine', 'docker-machine')
export const MACHINE_VERSION = 'v0.16.2-gitlab.59'

/** The inputs that install the stand-in from its release at `releaseUrl` and hand the action the hosts' CA. */
export const standInInputs = (releaseUrl: string, tls: RunTls): Record<string, string> => ({
  'machine-version': MACHINE_VERSION,
  'machine-url': releaseUrl,
  ...tlsInputs(tls)
})

/** The `nodes` input: each engine a `none` host, in its role. */
export const noneNodes = (hosts: EngineNode[]): string => hosts.map((host) => `- role: ${host.role}\n  opts: --url ${host.dockerHost}`).join('\n')
