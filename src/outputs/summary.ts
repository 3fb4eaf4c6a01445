import * as core from '@actions/core'
import type { Swarm } from '../swarm/members.js'
import type { ServiceOutput } from '../workload/stack.js'

// The job summary of main: the nodes, the stack's services, and each phase's time.

export interface Timing {
  phase: string
  seconds: number
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
