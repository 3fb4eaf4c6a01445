import type { SwarmService, SwarmTask } from '../engine/api.js'

// When a service has converged, read from the manager's services and tasks. Pure: the stack's
// wait polls, this judges.

export type ServiceMode = 'replicated' | 'global' | 'replicated-job' | 'global-job'

export interface ServiceProgress {
  id: string
  name: string
  mode: ServiceMode
  /** Tasks the service wants: its replicas, or (global) one per eligible node as the manager counts them. */
  desired: number
  /** Tasks running for at least the stable time (jobs: tasks completed). */
  running: number
  /** Tasks that failed or were rejected so far. */
  failed: number
  converged: boolean
  /** Swarm node IDs with a running task of the service. */
  nodeIds: string[]
  /** The latest failed task's error. */
  lastError?: string
}

/** Failed tasks after which a service that has not converged is given up on: it will not start. */
export const FAILURES_TO_GIVE_UP = 3

export function serviceMode(service: SwarmService): ServiceMode {
  const mode = service.Spec.Mode
  if (mode.Global) return 'global'
  if (mode.ReplicatedJob) return 'replicated-job'
  if (mode.GlobalJob) return 'global-job'
  return 'replicated'
}

/**
 * A task counts as running once it was seen running `stableMs` ago and still is: a command that
 * exits at once passes through `running` without having started for good. `firstSeenRunning`
 * (task ID → when first seen running) is kept by the caller across polls.
 */
export function serviceProgress(
  service: SwarmService,
  tasks: SwarmTask[],
  firstSeenRunning: Map<string, number>,
  now: number,
  stableMs: number
): ServiceProgress {
  const mode = serviceMode(service)
  const own = tasks.filter((task) => task.ServiceID === service.ID && isOfCurrentSpec(task, service))
  const failedTasks = own
    .filter((task) => task.Status.State === 'failed' || task.Status.State === 'rejected')
    .sort((a, b) => (a.Status.Timestamp ?? '').localeCompare(b.Status.Timestamp ?? ''))
  const last = failedTasks[failedTasks.length - 1]
  const lastError = last ? last.Status.Err || last.Status.Message : undefined

  if (mode === 'replicated-job' || mode === 'global-job') {
    const desired = mode === 'replicated-job' ? (service.Spec.Mode.ReplicatedJob?.TotalCompletions ?? 1) : (service.ServiceStatus?.DesiredTasks ?? 0)
    const completed = own.filter((task) => task.Status.State === 'complete').length
    return base(desired, completed, completed >= desired && desired > 0, [])
  }

  const running = own.filter((task) => task.DesiredState === 'running' && task.Status.State === 'running')
  for (const task of running) if (!firstSeenRunning.has(task.ID)) firstSeenRunning.set(task.ID, now)
  const stable = running.filter((task) => now - firstSeenRunning.get(task.ID)! >= stableMs)
  // One per slot (replicated) or per node (global): a task being replaced is not a second one.
  const places = new Set(stable.map((task) => (mode === 'global' ? task.NodeID : String(task.Slot))))
  const desired = mode === 'global' ? (service.ServiceStatus?.DesiredTasks ?? 0) : (service.Spec.Mode.Replicated?.Replicas ?? 1)
  // A global service whose manager has not yet counted its nodes wants 0 tasks: not converged yet.
  const converged = places.size >= desired && (desired > 0 || mode === 'replicated')
  return base(desired, places.size, converged, [...new Set(stable.map((task) => task.NodeID).filter((id): id is string => Boolean(id)))])

  function base(desired: number, count: number, converged: boolean, nodeIds: string[]): ServiceProgress {
    return { id: service.ID, name: service.Spec.Name, mode, desired, running: count, failed: failedTasks.length, converged, nodeIds, lastError }
  }
}

/** A service that will not get there by waiting. */
export const givenUp = (progress: ServiceProgress): boolean => !progress.converged && progress.failed >= FAILURES_TO_GIVE_UP

/** `web 0/1 (2 failed), agent 2/3`: for progress lines and errors. */
export function describeProgress(services: ServiceProgress[]): string {
  return services.map((s) => `${s.name} ${s.running}/${s.desired}${s.failed ? ` (${s.failed} failed)` : ''}`).join(', ')
}

/**
 * A task made from the service's current container spec. A redeploy into a kept swarm updates
 * services in place: until the update has replaced them, the old spec's tasks still run in their
 * slots, and counting them would call the update converged before it started.
 */
export function isOfCurrentSpec(task: SwarmTask, service: SwarmService): boolean {
  const current = service.Spec.TaskTemplate.ContainerSpec
  return task.Spec?.ContainerSpec === undefined || current === undefined || canonical(task.Spec.ContainerSpec) === canonical(current)
}

/** JSON with every object's keys sorted: equal specs, equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner
  )
}
