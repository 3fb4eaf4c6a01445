import * as core from '@actions/core'
import { driverFor } from '../drivers/index.js'
import { readClientTls } from '../engine/tls.js'
import { checkClusterName, checkDriverName } from '../inputs/names.js'
import { parseNodeList } from '../inputs/node-list.js'
import { splitOptionLines } from '../inputs/option-lines.js'
import { currentOwner } from '../state/owner.js'
import { reportRemoval } from './report.js'

// The `destroy` action: removes a kept cluster (`cleanup: false`) by its name from any job or
// workflow (a pull request's environment when it closes), with no state from the job that made it:
// EC2 finds everything by the cluster's tags, `none`/`generic` hosts are given again and leave the
// cluster's swarm (known by its label), a `local` cluster is found on this runner by its name.

try {
  const name = checkClusterName(core.getInput('name', { required: true }).trim())
  const driver = checkDriverName(core.getInput('driver').trim() || 'amazonec2')
  // Only this repository's cluster of that name, made by this user: another's is refused.
  const owner = currentOwner()
  const nodesYaml = core.getInput('nodes').trim()
  const needsHosts = driver === 'none' || driver === 'generic'
  if (needsHosts && !nodesYaml) throw new Error(`input \`nodes\`: a ${driver} cluster's hosts, as its setup-swarm step gave them`)
  const [caCert, clientCert, clientKey] = ['tls-ca-cert', 'tls-client-cert', 'tls-client-key'].map((input) => core.getInput(input).trim())
  if (needsHosts && !(caCert && clientCert && clientKey)) {
    throw new Error('inputs `tls-ca-cert`, `tls-client-cert`, `tls-client-key`: the client certificate the hosts trust, as setup-swarm was given')
  }
  const tls = caCert ? await readClientTls({ dir: '', ca: caCert, cert: clientCert, key: clientKey }) : undefined
  const target = await driverFor(driver)
  if (!target.destroyKept) throw new Error(`input \`driver\`: a ${driver} cluster cannot be destroyed by name`)
  await core.group(`Destroying cluster ${name} (${driver})`, async () => {
    const report = await target.destroyKept!({
      name,
      driver,
      owner,
      nodes: nodesYaml ? parseNodeList(nodesYaml, name, { manager: [], worker: [] }) : [],
      driverOpts: splitOptionLines(core.getInput('driver-opts'), 'driver-opts'),
      tls,
      awsRegion: core.getInput('aws-region')
    })
    await reportRemoval(`Cluster ${name} destroyed`, report.removed, report.leftovers)
  })
} catch (error) {
  core.setFailed((error as Error).message)
}
