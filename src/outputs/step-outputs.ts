import * as core from '@actions/core'
import type { ClientCertDir } from '../engine/tls.js'
import type { Swarm } from '../swarm/members.js'

// The step's outputs, and the environment it exports for later steps: where the swarm is, and the
// client certificate that reaches it.

export function writeOutputs(name: string, swarm: Swarm, client: ClientCertDir, exportEnv: boolean): void {
  const leader = swarm.members[0]
  core.setOutput('name', name)
  core.setOutput('manager-ip', swarm.managerIp)
  core.setOutput('manager-address', swarm.managerAddress)
  core.setOutput('docker-host', leader.dockerHost)
  core.setOutput('cert-path', client.dir)
  // Registered as secrets when the swarm handed them out; set here, masked in every log.
  core.setOutput('worker-token', swarm.workerToken)
  core.setOutput('manager-token', swarm.managerToken)
  core.setOutput(
    'nodes',
    JSON.stringify(
      swarm.members.map(({ name: nodeName, role, ip, advertiseIp, dockerHost, id }) => ({ name: nodeName, role, ip, advertiseIp, dockerHost, id }))
    )
  )
  if (exportEnv) {
    core.exportVariable('DOCKER_HOST', leader.dockerHost)
    core.exportVariable('DOCKER_TLS_VERIFY', '1')
    core.exportVariable('DOCKER_CERT_PATH', client.dir)
  }
}
