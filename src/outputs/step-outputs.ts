import * as core from '@actions/core'
import type { ServiceOutput } from '../workload/stack.js'
import type { Swarm } from '../swarm/formation.js'
import type { ClientCertDir } from '../engine/tls.js'

export interface Timing {
  phase: string
  seconds: number
}

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

export async function writeSummary(title: string, swarm: Swarm | undefined, timings: Timing[], services?: ServiceOutput[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const summary = core.summary.addHeading(title, 3)
  if (swarm) {
    summary.addTable([
      [
        { data: 'Node', header: true },
        { data: 'Role', header: true },
        { data: 'Address', header: true },
        { data: 'Status', header: true },
        { data: 'ID', header: true }
      ],
      ...swarm.members.map((member) => [member.name, member.role, member.ip, member.status, member.id])
    ])
  }
  if (services?.length) {
    summary.addTable([
      [
        { data: 'Service', header: true },
        { data: 'Mode', header: true },
        { data: 'Running', header: true },
        { data: 'Published', header: true }
      ],
      ...services.map((service) => [
        service.name,
        service.mode,
        `${service.running}/${service.replicas}`,
        service.ports.map((port) => `${port.address ?? `:${port.published ?? '?'}`} → ${port.target}/${port.protocol} (${port.mode})`).join(', ')
      ])
    ])
  }
  summary.addTable([
    [
      { data: 'Phase', header: true },
      { data: 'Seconds', header: true }
    ],
    ...timings.map((timing) => [timing.phase, timing.seconds.toFixed(2)])
  ])
  await summary.write()
}
