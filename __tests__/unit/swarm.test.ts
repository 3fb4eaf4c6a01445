import { describe, expect, it } from '@jest/globals'
import type { EngineNode } from '../../src/engine/node.js'
import { Engine, type SwarmNode } from '../../src/engine/api.js'
import { waitForReady } from '../../src/swarm/members.js'
import { Deadline } from '../../src/tools/wait.js'

const node = (name: string, role: 'manager' | 'worker'): EngineNode => ({
  name,
  role,
  ip: '10.0.0.1',
  advertiseIp: '10.0.0.1',
  dockerHost: 'tcp://10.0.0.1:2376'
})
const listed = (id: string, role: 'manager' | 'worker', state: string, reachability?: string): SwarmNode => ({
  ID: id,
  Description: { Hostname: id },
  Spec: { Role: role },
  Status: { State: state, Addr: '10.0.0.1' },
  ...(reachability ? { ManagerStatus: { Reachability: reachability } } : {})
})

describe('waiting for every node to be Ready', () => {
  it('returns once every node is ready and every manager reachable', async () => {
    let calls = 0
    const manager = {
      nodes: () => {
        calls++
        return Promise.resolve(
          calls < 3
            ? [listed('a', 'manager', 'ready', 'reachable'), listed('b', 'worker', 'unknown')]
            : [listed('a', 'manager', 'ready', 'reachable'), listed('b', 'worker', 'ready')]
        )
      }
    }
    const result = await waitForReady([node('m', 'manager'), node('w', 'worker')], ['a', 'b'], manager, new Deadline(10, 'test'))
    expect([...result.keys()]).toEqual(['a', 'b'])
    expect(calls).toBe(3)
  })

  it('gives up at the deadline, naming the nodes not ready and the ports the swarm needs', async () => {
    const manager = { nodes: () => Promise.resolve([listed('a', 'manager', 'ready', 'unreachable'), listed('b', 'worker', 'down')]) }
    await expect(
      waitForReady([node('m-1', 'manager'), node('w-1', 'worker')], ['a', 'b'], manager, new Deadline(0.5, 'half a second'))
    ).rejects.toThrow(
      /timed out after \d+ s waiting for every node to be Ready \(not ready yet: m-1, w-1; the nodes must reach each other on 2377\/tcp .*\); the bound is the `timeout` input \(half a second\)/
    )
  })
})

describe('an Engine client once closed', () => {
  it('fails every later request at once, without opening a connection', async () => {
    const engine = new Engine('tcp://127.0.0.1:9', { ca: '', cert: '', key: '' })
    engine.close()
    const started = Date.now()
    await expect(engine.ping(5000)).rejects.toThrow('tcp://127.0.0.1:9 GET /_ping: the client was closed')
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
