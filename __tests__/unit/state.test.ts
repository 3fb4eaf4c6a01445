import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadState, saveState, type ClusterState } from '../../src/state/cluster.js'
import { parseFileCommands } from '../harness/action.js'

describe('state', () => {
  it('round-trips through GITHUB_STATE and STATE_* as the runner passes it from main to post; the last save wins', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'state-'))
    const file = path.join(dir, 'state')
    writeFileSync(file, '')
    const saved = { ...process.env }
    try {
      process.env.GITHUB_STATE = file
      const state: ClusterState = { name: 'c', driver: 'local', cleanup: true, dir: '/tmp/x' }
      saveState(state)
      state.driverState = {
        bridge: 'swm00000000',
        tag: 'setup-swarm:swm00000000',
        netns: ['swm00000000-1'],
        cgroupParent: '/setup-swarm-swm00000000',
        subnet: '198.18.0.0/24'
      }
      saveState(state)
      const passed = parseFileCommands(readFileSync(file, 'utf8'))
      expect(Object.keys(passed)).toEqual(['cluster'])
      process.env.STATE_cluster = passed.cluster
      expect(loadState()).toEqual(state)
      delete process.env.STATE_cluster
      expect(loadState()).toBeUndefined()
    } finally {
      process.env = saved
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
