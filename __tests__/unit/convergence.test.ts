import { describe, expect, it } from '@jest/globals'
import { describeProgress, FAILURES_TO_GIVE_UP, givenUp, serviceProgress } from '../../src/workload/convergence.js'
import type { SwarmService, SwarmTask } from '../../src/engine/api.js'

const service = (mode: SwarmService['Spec']['Mode'], status?: SwarmService['ServiceStatus']): SwarmService => ({
  ID: 'svc',
  Spec: { Name: 'app_web', Mode: mode, TaskTemplate: { ContainerSpec: { Image: 'app:1' } } },
  ServiceStatus: status
})
let counter = 0
const task = (state: string, extra: Partial<SwarmTask> = {}): SwarmTask => ({
  ID: `t${++counter}`,
  ServiceID: 'svc',
  DesiredState: 'running',
  Status: { State: state, Timestamp: `2024-01-01T00:00:${String(counter).padStart(2, '0')}Z` },
  ...extra
})

describe('a service converges', () => {
  it('replicated: when every replica has run for the stable time, one per slot', () => {
    const seen = new Map<string, number>()
    const tasks = [task('running', { Slot: 1 }), task('running', { Slot: 2 }), task('preparing', { Slot: 3 })]
    const replicated = service({ Replicated: { Replicas: 2 } })
    expect(serviceProgress(replicated, tasks, seen, 1000, 500)).toMatchObject({ desired: 2, running: 0, converged: false })
    expect(serviceProgress(replicated, tasks, seen, 1400, 500).converged).toBe(false)
    expect(serviceProgress(replicated, tasks, seen, 1500, 500)).toMatchObject({ mode: 'replicated', desired: 2, running: 2, converged: true })
  })

  it('replicated: a task that ran and stopped is not counted', () => {
    const seen = new Map<string, number>()
    const flapping = task('running', { Slot: 1 })
    serviceProgress(service({ Replicated: { Replicas: 1 } }), [flapping], seen, 0, 500)
    const after = serviceProgress(
      service({ Replicated: { Replicas: 1 } }),
      [{ ...flapping, Status: { State: 'failed', Err: 'exit 1' } }],
      seen,
      600,
      500
    )
    expect(after).toMatchObject({ running: 0, failed: 1, converged: false, lastError: 'exit 1' })
  })

  it('global: one running task on every node the manager counts, not before it counted', () => {
    const seen = new Map<string, number>()
    const tasks = [task('running', { NodeID: 'n1' }), task('running', { NodeID: 'n2' })]
    expect(serviceProgress(service({ Global: {} }, { RunningTasks: 0, DesiredTasks: 0 }), [], seen, 0, 0).converged).toBe(false)
    expect(serviceProgress(service({ Global: {} }, { RunningTasks: 2, DesiredTasks: 3 }), tasks, seen, 0, 0)).toMatchObject({
      running: 2,
      converged: false
    })
    const all = [...tasks, task('running', { NodeID: 'n3' })]
    expect(serviceProgress(service({ Global: {} }, { RunningTasks: 3, DesiredTasks: 3 }), all, seen, 0, 0)).toMatchObject({
      mode: 'global',
      running: 3,
      converged: true,
      nodeIds: ['n1', 'n2', 'n3']
    })
  })

  it('replicated job: when its completions are complete', () => {
    const job = service({ ReplicatedJob: { TotalCompletions: 2 } })
    expect(serviceProgress(job, [task('complete'), task('running')], new Map(), 0, 0)).toMatchObject({ mode: 'replicated-job', converged: false })
    expect(serviceProgress(job, [task('complete'), task('complete')], new Map(), 0, 0)).toMatchObject({ converged: true })
  })

  it(`is given up after ${FAILURES_TO_GIVE_UP} failed tasks, naming the latest error`, () => {
    const failing = [
      task('failed', { Status: { State: 'failed', Err: 'first', Timestamp: '1' } }),
      task('rejected', { Status: { State: 'rejected', Err: 'last', Timestamp: '3' } })
    ]
    const two = serviceProgress(service({ Replicated: { Replicas: 1 } }), failing, new Map(), 0, 0)
    expect(givenUp(two)).toBe(false)
    const three = serviceProgress(
      service({ Replicated: { Replicas: 1 } }),
      [...failing, task('failed', { Status: { State: 'failed', Err: 'middle', Timestamp: '2' } })],
      new Map(),
      0,
      0
    )
    expect(givenUp(three)).toBe(true)
    expect(three.lastError).toBe('last')
    expect(describeProgress([three])).toBe('app_web 0/1 (3 failed)')
  })
})
