import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findCluster, type ClusterRecord } from '../../src/state/record.js'
import { destroyKeptLocal } from '../../src/drivers/local/kept.js'
import { machineDriver, type MachineState } from '../../src/drivers/machine/index.js'
import { checkClusterName, checkRepository } from '../../src/inputs/names.js'
import { clusterDir, type ClusterState } from '../../src/state/cluster.js'
import { fileTree } from '../fixtures/file-tree.js'

// Names and records that would lead outside a cluster's own directory: `destroy` and `diagnose`
// take `name` from their inputs and delete or read what it leads to. Each case runs the code that
// deletes (destroy) or reads and runs (diagnose) against a planted tree, and shows that nothing
// outside the cluster's own directory is touched.

let base: string
const saved = { ...process.env }
const OWNER = { repository: 'octo-org/app', user: 'runner' }
/** Where this repository's kept clusters live under the kept root. */
const KEPT = path.join('state', 'setup-swarm', 'octo-org', 'app')

beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'escape-'))
  process.env.XDG_STATE_HOME = path.join(base, 'state')
  process.env.RUNNER_TEMP = path.join(base, 'temp')
  process.env.RUNNER_TOOL_CACHE = path.join(base, 'tool-cache')
  process.env.GITHUB_REPOSITORY = OWNER.repository
  // Victims: a directory beside the state home, another kept cluster, a job's cluster, the tool cache.
  for (const file of ['victim/data', 'state/setup-swarm/other/tls/key.pem', 'temp/setup-swarm/job/cluster.json', 'tool-cache/keep']) {
    mkdirSync(path.dirname(path.join(base, file)), { recursive: true })
    writeFileSync(path.join(base, file), file)
  }
})

afterEach(() => {
  process.env = { ...saved }
  rmSync(base, { recursive: true, force: true })
})

const tree = (dir: string) => fileTree(dir)

const BAD_NAMES = ['..', '.', '/', '/etc', path.join(os.tmpdir(), 'abs'), '../../victim', '../victim', 'a/b', 'x/../..', '', '-rf']

describe('a cluster name', () => {
  it.each(BAD_NAMES)('%j is refused, naming the input and what it takes', (name) => {
    expect(() => checkClusterName(name)).toThrow(
      `input \`name\`: "${name}" is not a cluster name; use letters, digits, '-' and '.', starting with a letter or digit, at most 40 characters`
    )
    expect(() => clusterDir(name, true)).toThrow('is not a cluster name')
    expect(() => clusterDir(name)).toThrow('is not a cluster name')
  })

  it('is a child of the clusters’ root when it is a good one', () => {
    expect(clusterDir('pr-7', true)).toBe(path.join(base, KEPT, 'pr-7'))
    expect(clusterDir('swarm-1.2', false)).toBe(path.join(base, 'temp', 'setup-swarm', 'swarm-1.2'))
  })
})

describe('destroy by name', () => {
  /** The local driver's removal of engines and files, which needs root: here it records what it was given. */
  const removals: ClusterState[] = []
  const remove = (state: ClusterState) => (removals.push(state), Promise.resolve([]))
  beforeEach(() => {
    removals.length = 0
  })

  it.each(BAD_NAMES)('of a local cluster named %j removes nothing and fails naming the input', async (name) => {
    const before = tree(base)
    await expect(destroyKeptLocal(name, OWNER, remove)).rejects.toThrow(`input \`name\`: "${name}" is not a cluster name`)
    expect(removals).toEqual([])
    expect(tree(base)).toEqual(before)
  })

  it.each(BAD_NAMES)('of a none cluster named %j fails before it reaches any host or file', async (name) => {
    const before = tree(base)
    const request = { name, driver: 'none', owner: OWNER, nodes: [], driverOpts: [], awsRegion: '' }
    await expect(machineDriver.destroyKept!(request)).rejects.toThrow(`input \`name\`: "${name}" is not a cluster name`)
    expect(tree(base)).toEqual(before)
  })

  it('removes the named cluster’s own directory, and nothing beside it', async () => {
    const own = path.join(KEPT, 'escape-kept')
    mkdirSync(path.join(base, own, 'nodes'), { recursive: true })
    writeFileSync(path.join(base, own, 'nodes', 'f'), 'x')
    const before = tree(base)
    const report = await destroyKeptLocal('escape-kept', OWNER, remove)
    expect(report.leftovers).toEqual([])
    expect(removals.map((state) => state.dir)).toEqual([path.join(base, own)])
    expect(tree(base)).toEqual(Object.fromEntries(Object.entries(before).filter(([file]) => !file.startsWith(own))))
  })

  it('refuses a kept root that is a symbolic link, and a cluster directory that is one', async () => {
    // The kept root links to a directory elsewhere: its cluster `data`'s dir would be /…/victim/data.
    process.env.XDG_STATE_HOME = path.join(base, 'linked-home')
    mkdirSync(process.env.XDG_STATE_HOME)
    symlinkSync(path.join(base, 'victim'), path.join(process.env.XDG_STATE_HOME, 'setup-swarm'))
    let before = tree(base)
    await expect(destroyKeptLocal('data', OWNER, remove)).rejects.toThrow(
      `${path.join(base, 'linked-home', 'setup-swarm')} is a symbolic link (to ${path.join(base, 'victim')}): setup-swarm keeps a cluster's files only in a directory of its own, never through a link; remove the link`
    )
    expect(tree(base)).toEqual(before)

    // A cluster's dir in a real root links elsewhere: its `nodes` would be deleted through it.
    process.env.XDG_STATE_HOME = path.join(base, 'state')
    mkdirSync(path.join(base, KEPT), { recursive: true })
    symlinkSync(path.join(base, 'victim'), path.join(base, KEPT, 'linked'))
    before = tree(base)
    await expect(destroyKeptLocal('linked', OWNER, remove)).rejects.toThrow(`${path.join(base, KEPT, 'linked')} is a symbolic link`)
    await expect(findCluster('linked', OWNER)).rejects.toThrow('is a symbolic link')
    expect(tree(base)).toEqual(before)

    // The repository's directory links elsewhere: its cluster `data` would be /…/victim/data.
    process.env.GITHUB_REPOSITORY = 'octo-org/linked'
    symlinkSync(path.join(base, 'victim'), path.join(base, 'state', 'setup-swarm', 'octo-org', 'linked'))
    before = tree(base)
    const linkedOwner = { ...OWNER, repository: 'octo-org/linked' }
    await expect(destroyKeptLocal('data', linkedOwner, remove)).rejects.toThrow(
      `${path.join(base, 'state', 'setup-swarm', 'octo-org', 'linked')} is a symbolic link`
    )
    expect(removals).toEqual([])
    expect(tree(base)).toEqual(before)
  })
})

describe('diagnose by name', () => {
  const record = (name: string, dir: string, extra: Partial<ClusterRecord> = {}): ClusterRecord => ({
    name,
    driver: 'local',
    state: { name, driver: 'local', cleanup: true, dir, owner: OWNER },
    nodes: [{ name: `${name}-manager-1`, role: 'manager', ip: '10.0.0.2', advertiseIp: '10.0.0.2', dockerHost: 'tcp://10.0.0.2:2376' }],
    ...extra
  })
  const plant = (dir: string, content: ClusterRecord) => {
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'cluster.json'), JSON.stringify(content))
  }

  it.each(BAD_NAMES.filter(Boolean))('of %j reads no record outside the clusters’ roots', async (name) => {
    // A record where the name leads: it would be read, and what it names used, were the name taken.
    plant(path.join(base, 'victim'), record('victim', path.join(base, 'victim')))
    await expect(findCluster(name, OWNER)).rejects.toThrow(`input \`name\`: "${name}" is not a cluster name`)
  })

  it('refuses a record that describes another directory, another cluster or a node whose name is a path', async () => {
    const dir = (name: string) => path.join(base, 'temp', 'setup-swarm', name)
    plant(dir('moved'), record('moved', path.join(base, 'victim')))
    plant(dir('renamed'), record('victim', dir('renamed')))
    plant(dir('nodes'), record('nodes', dir('nodes'), { nodes: [{ ...record('x', '').nodes[0], name: '../../../victim' }] }))
    await expect(findCluster('moved', OWNER)).rejects.toThrow(
      `${path.join(dir('moved'), 'cluster.json')} is not the record of the cluster in ${dir('moved')}: it places the cluster in ${path.join(base, 'victim')}; refusing it`
    )
    await expect(findCluster('renamed', OWNER)).rejects.toThrow('it names cluster "victim"; refusing it')
    await expect(findCluster('nodes', OWNER)).rejects.toThrow('"../../../victim" is not a valid machine name')
    // Without a name: only a sound record counts.
    plant(dir('job'), record('job', dir('job')))
    expect((await findCluster('', OWNER)).name).toBe('job')
  })

  describe('runs docker-machine, for an engine log, only when it is the one the installer verified', () => {
    const node = record('dm', '').nodes[0]
    const limits = { maxBytes: 1000, timeoutMs: 10_000 }
    /** A docker-machine that leaves a mark when it runs. */
    const plantMachine = (file: string) => {
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, `#!/bin/sh\ntouch "${path.join(base, 'ran')}"\necho "engine log of $2"\n`)
      chmodSync(file, 0o755)
      return createHash('sha256').update(readFileSync(file)).digest('hex')
    }
    const stateWith = (machine: MachineState): ClusterState<MachineState> => ({
      name: 'dm',
      driver: 'none',
      cleanup: true,
      dir: path.join(base, 'temp', 'setup-swarm', 'dm'),
      driverState: machine
    })
    const installed = () => path.join(base, 'tool-cache', 'docker-machine', '0.16.2-gitlab.59.url-0123456789abcdef', 'x64', 'docker-machine')

    it.each([
      ['a program outside the tool cache', () => path.join(base, 'victim', 'docker-machine')],
      ['a program beside the tool cache', () => path.join(base, 'tool-cache', '..', 'docker-machine')],
      ['another program in the tool cache', () => path.join(base, 'tool-cache', 'docker-machine', '1.0.0', 'x64', 'sh')]
    ])('refuses %s', async (_what, binary) => {
      const sha256 = plantMachine(binary())
      await expect(machineDriver.engineLog!(stateWith({ binary: binary(), sha256, machines: [] }), node, limits)).rejects.toThrow(
        `${binary()} is not a docker-machine this action installed in ${path.join(base, 'tool-cache', 'docker-machine')}: not running it`
      )
      expect(existsSync(path.join(base, 'ran'))).toBe(false)
    })

    it('refuses the installed one once it changed, or when the record has no checksum, and runs it when it did not', async () => {
      const sha256 = plantMachine(installed())
      await expect(machineDriver.engineLog!(stateWith({ binary: installed(), sha256: '0'.repeat(64), machines: [] }), node, limits)).rejects.toThrow(
        `${installed()} has SHA-256 ${sha256}, not that of the docker-machine main installed (${'0'.repeat(64)}): not running it`
      )
      await expect(machineDriver.engineLog!(stateWith({ binary: installed(), machines: [] }), node, limits)).rejects.toThrow('not running it')
      expect(existsSync(path.join(base, 'ran'))).toBe(false)
      expect(await machineDriver.engineLog!(stateWith({ binary: installed(), sha256, machines: [] }), node, limits)).toBe(
        'engine log of dm-manager-1\n'
      )
    })
  })
})

describe('the sweep’s repository', () => {
  it.each(['octo-org/app', 'a/b.c', 'A-1/x_y'])('%s is one', (repository) => expect(checkRepository(repository)).toBe(repository))
  it.each(['*', 'octo-org/*', 'octo-org', 'a/b/c', 'a/..', '../b', ''])('%j is not', (repository) => {
    expect(() => checkRepository(repository)).toThrow(`input \`repository\`: "${repository}" is not a repository such as octo-org/app`)
  })
})
