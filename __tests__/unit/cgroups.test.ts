import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { rmdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { cgroupHierarchies, cgroupTree, freezerHierarchy, isFrozen, removeCgroups, setFrozen, thawFrozen } from '../../src/drivers/local/cgroups.js'
import { Deadline, pollUntil } from '../../src/tools/wait.js'

// Cgroup removal over a stand-in host: a mountinfo file and ordinary directories for the cgroups,
// removed with fs.rmdir instead of a privileged rmdir (no root needed).

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cgroups-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const PARENT = '/setup-swarm-swm0a1b2c3d'
const [C1, C2, C3] = ['a1', 'b2', 'c3'].map((hex) => hex.repeat(32))

// mountinfo lines as the kernel writes them: v1 (systemd's legacy mode), hybrid (Ubuntu 20.04: the
// v1 controllers and a cgroup2 `unified` mount), v2 (Ubuntu 22.04 and 24.04).
const OTHER_MOUNTS = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
  '24 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw'
]
const TMPFS = '25 24 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755'
const V1_MOUNTS = [
  '27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd',
  '30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpu,cpuacct',
  '31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory',
  '32 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,net_cls,net_prio'
]
const UNIFIED_MOUNT = '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate'
const V2_MOUNT = '35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot'

const V1_ROOTS = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/cpu,cpuacct', '/sys/fs/cgroup/memory', '/sys/fs/cgroup/net_cls,net_prio']
const LAYOUTS = {
  v1: { mountinfo: [...OTHER_MOUNTS, TMPFS, ...V1_MOUNTS], roots: V1_ROOTS },
  hybrid: { mountinfo: [...OTHER_MOUNTS, TMPFS, UNIFIED_MOUNT, ...V1_MOUNTS], roots: ['/sys/fs/cgroup/unified', ...V1_ROOTS] },
  v2: { mountinfo: [...OTHER_MOUNTS, V2_MOUNT], roots: ['/sys/fs/cgroup'] }
}

/** What an engine with the cluster's parent leaves in a hierarchy: its containers, and a build step nested deeper. */
const clusterCgroups = (hierarchy: string, parent = PARENT) => [
  `${hierarchy}${parent}/${C1}`,
  `${hierarchy}${parent}/${C2}`,
  `${hierarchy}${parent}/buildkit/${C3}`
]
/** What is not the cluster's: the host's own, the runner's engine's, another cluster's. */
const othersCgroups = (hierarchy: string) => [
  `${hierarchy}/system.slice/ssh.service`,
  `${hierarchy}/docker/${C1}`,
  `${hierarchy}/setup-swarm-swmffffffff/${C1}`
]

/** A stand-in host under a directory of its own: `root` for the code under test. */
function fakeHost(mountinfo: string[], cgroups: string[], symlinks: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmp, 'host-'))
  mkdirSync(path.join(root, 'proc', 'self'), { recursive: true })
  writeFileSync(path.join(root, 'proc', 'self', 'mountinfo'), `${mountinfo.join('\n')}\n`)
  for (const dir of cgroups) mkdirSync(path.join(root, dir), { recursive: true })
  for (const [link, target] of Object.entries(symlinks)) {
    mkdirSync(path.dirname(path.join(root, link)), { recursive: true })
    symlinkSync(target, path.join(root, link))
  }
  return root
}

/** Every directory under the stand-in host's `dir`, as a host path, sorted (symbolic links not followed). */
const directories = (root: string, dir = '/sys'): string[] =>
  readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => [`${dir}/${entry.name}`, ...directories(root, `${dir}/${entry.name}`)])
    .sort()

/** The cgroup directories `dirs` and every directory above them up to `stop`, as `directories` lists them. */
const withAncestors = (dirs: string[], stop = '/sys') =>
  [...new Set(dirs.flatMap((dir) => dir.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))))]
    .filter((dir) => dir.startsWith(`${stop}/`))
    .sort()

/**
 * rmdir(1) over ordinary directories, recording what it was given: each in turn, going on past one
 * it cannot remove, failing at the end if any failed.
 */
function rmdirCommand(calls: string[][], root: string) {
  return async (dirs: string[]) => {
    calls.push(dirs.map((dir) => dir.slice(root.length)))
    let failure: Error | undefined
    for (const dir of dirs) await rmdir(dir).catch((error: Error) => (failure ??= error))
    if (failure) throw failure
  }
}

/** True when no directory comes before one below it. */
const childrenFirst = (dirs: string[]) => dirs.every((dir, i) => dirs.slice(0, i).every((earlier) => !dir.startsWith(`${earlier}/`)))

describe('the cgroup hierarchies, from mountinfo', () => {
  it.each(Object.entries(LAYOUTS))('%s: every hierarchy once, co-mounted controllers and the named systemd one included', (_, layout) => {
    const root = fakeHost(layout.mountinfo, [])
    expect(cgroupHierarchies(root)).toEqual(layout.roots.map((dir) => path.join(root, dir)))
  })

  it('lists a hierarchy mounted again (a bind mount) once, a mount of one of its subdirectories apart, and decodes octal escapes', () => {
    const root = fakeHost(
      [
        ...OTHER_MOUNTS,
        V2_MOUNT,
        '40 22 0:30 / /run/bound\\040cgroup rw,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate',
        '41 22 0:30 /system.slice /run/system\\011slice\\134s rw,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate'
      ],
      []
    )
    expect(cgroupHierarchies(root)).toEqual([path.join(root, '/sys/fs/cgroup'), path.join(root, '/run/system\tslice\\s')])
  })
})

describe("a cgroup's tree", () => {
  it('is every cgroup below it at any depth, children before their parents, and nothing once it is gone', () => {
    const root = fakeHost(LAYOUTS.v2.mountinfo, [...clusterCgroups('/sys/fs/cgroup/outer'), ...othersCgroups('/sys/fs/cgroup')])
    const tree = cgroupTree(path.join(root, '/sys/fs/cgroup')).map((dir) => dir.slice(root.length))
    expect([...tree].sort()).toEqual(directories(root).filter((dir) => dir.startsWith('/sys/fs/cgroup')))
    expect(tree).toContain(`/sys/fs/cgroup/outer${PARENT}`)
    expect(childrenFirst(tree)).toBe(true)
    expect(cgroupTree(path.join(root, '/sys/fs/cgroup/gone'))).toEqual([])
  })
})

describe('removing a cluster’s cgroups', () => {
  it.each(Object.entries(LAYOUTS))(
    '%s: the parent and everything below it in every hierarchy, children first, in one rmdir; nothing else',
    async (_, layout) => {
      const root = fakeHost(
        layout.mountinfo,
        layout.roots.flatMap((hierarchy) => [...clusterCgroups(hierarchy), ...othersCgroups(hierarchy)]),
        // Ubuntu's links to co-mounted controllers, which are no mounts of their own.
        layout === LAYOUTS.v2 ? {} : { '/sys/fs/cgroup/cpu': 'cpu,cpuacct', '/sys/fs/cgroup/cpuacct': 'cpu,cpuacct' }
      )
      const calls: string[][] = []
      await removeCgroups(PARENT, { root, removeDirs: rmdirCommand(calls, root) })
      expect(calls).toHaveLength(1)
      expect([...calls[0]].sort()).toEqual(layout.roots.flatMap((hierarchy) => withAncestors(clusterCgroups(hierarchy), hierarchy)).sort())
      expect(childrenFirst(calls[0])).toBe(true)
      expect(directories(root)).toEqual(withAncestors(layout.roots.flatMap(othersCgroups)))
    }
  )

  it('removes a hierarchy mounted twice once, through its first mount, without failing', async () => {
    const root = fakeHost(
      [...LAYOUTS.v2.mountinfo, '40 22 0:30 / /run/bound\\040cgroup rw,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate'],
      clusterCgroups('/sys/fs/cgroup'),
      // The bind mount: the same directories under another path.
      { '/run/bound cgroup': '../sys/fs/cgroup' }
    )
    const calls: string[][] = []
    await removeCgroups(PARENT, { root, removeDirs: rmdirCommand(calls, root) })
    expect([...calls[0]].sort()).toEqual(withAncestors(clusterCgroups('/sys/fs/cgroup'), '/sys/fs/cgroup'))
    expect(directories(root)).toEqual(['/sys/fs', '/sys/fs/cgroup'])
  })

  it('finds a hierarchy mounted at a path with a space', async () => {
    const root = fakeHost(
      [...OTHER_MOUNTS, '35 22 0:30 / /mnt/cgroup\\040two rw,relatime shared:9 - cgroup2 cgroup2 rw'],
      clusterCgroups('/mnt/cgroup two')
    )
    await removeCgroups(PARENT, { root, removeDirs: rmdirCommand([], root) })
    expect(readdirSync(path.join(root, 'mnt', 'cgroup two'))).toEqual([])
  })

  it('takes a directory that another remover took meanwhile as removed', async () => {
    const root = fakeHost(
      LAYOUTS.hybrid.mountinfo,
      LAYOUTS.hybrid.roots.flatMap((hierarchy) => clusterCgroups(hierarchy))
    )
    const command = rmdirCommand([], root)
    await removeCgroups(PARENT, {
      root,
      removeDirs: async (dirs) => {
        await rmdir(path.join(root, `/sys/fs/cgroup/memory${PARENT}/${C2}`))
        await command(dirs)
      }
    })
    expect(directories(root)).toEqual(withAncestors(LAYOUTS.hybrid.roots))
  })

  it('runs nothing when the cluster left no cgroup', async () => {
    const root = fakeHost(
      LAYOUTS.hybrid.mountinfo,
      LAYOUTS.hybrid.roots.flatMap((hierarchy) => othersCgroups(hierarchy))
    )
    const calls: string[][] = []
    await removeCgroups(PARENT, { root, removeDirs: rmdirCommand(calls, root) })
    expect(calls).toEqual([])
  })

  it('fails with the error of a cgroup it could not remove, having removed the others', async () => {
    const root = fakeHost(LAYOUTS.v2.mountinfo, clusterCgroups('/sys/fs/cgroup'))
    // A file in an ordinary directory stands for a process still in the cgroup: rmdir fails.
    writeFileSync(path.join(root, `/sys/fs/cgroup${PARENT}/${C1}/busy`), '')
    await expect(removeCgroups(PARENT, { root, removeDirs: rmdirCommand([], root) })).rejects.toMatchObject({ code: 'ENOTEMPTY' })
    expect(directories(root)).toEqual(withAncestors([`/sys/fs/cgroup${PARENT}/${C1}`]))
  })

  it('removes a parent nested under another directory, and not that directory (which is not the cluster’s)', async () => {
    const parent = `/outer${PARENT}`
    const root = fakeHost(LAYOUTS.v2.mountinfo, [...clusterCgroups('/sys/fs/cgroup', parent), '/sys/fs/cgroup/outer/other'])
    await removeCgroups(parent, { root, removeDirs: rmdirCommand([], root) })
    expect(directories(root)).toEqual(withAncestors(['/sys/fs/cgroup/outer/other']))
  })

  it.each(['', '/', 'relative', '//twice', `${PARENT}/../..`])('refuses the parent %p, which could take other cgroups with it', async (parent) => {
    const root = fakeHost(LAYOUTS.v2.mountinfo, clusterCgroups('/sys/fs/cgroup'))
    const calls: string[][] = []
    await expect(removeCgroups(parent, { root, removeDirs: rmdirCommand(calls, root) })).rejects.toThrow('not a cgroup parent')
    expect(calls).toEqual([])
  })
})

describe('freezing nodes on cgroup v2 (this machine is v1: the GitHub runners run it on a kernel)', () => {
  // The nodes' cgroups as the kernel shows them: cgroup.freeze to write, cgroup.events to read back.
  const NODES = [`${PARENT}/swm0a1b2c3d-1`, `${PARENT}/swm0a1b2c3d-2`, `${PARENT}/swm0a1b2c3d-3`]
  const at = (root: string, cgroup: string, file: string) => path.join(root, '/sys/fs/cgroup', cgroup, file)
  const events = (frozen: 0 | 1) => `populated 1\nfrozen ${frozen}\n`
  function v2Host(): string {
    const root = fakeHost(
      LAYOUTS.v2.mountinfo,
      NODES.map((cgroup) => `/sys/fs/cgroup${cgroup}`)
    )
    for (const cgroup of NODES) {
      writeFileSync(at(root, cgroup, 'cgroup.freeze'), '0\n')
      writeFileSync(at(root, cgroup, 'cgroup.events'), events(0))
    }
    return root
  }
  const eventsOf = (root: string) => NODES.map((cgroup) => readFileSync(at(root, cgroup, 'cgroup.events'), 'utf8'))
  const freezeOf = (root: string) => NODES.map((cgroup) => readFileSync(at(root, cgroup, 'cgroup.freeze'), 'utf8'))

  /** The writer the action runs as root, and a kernel that says so in cgroup.events `settleMs` later (never, with -1). */
  function kernel(root: string, writes: Array<{ value: string; files: string[] }>, settleMs = 30) {
    return (value: string, files: string[]) => {
      writes.push({ value, files: files.map((file) => file.slice(root.length)) })
      for (const file of files) writeFileSync(file, `${value}\n`)
      if (settleMs >= 0) {
        setTimeout(
          () => files.forEach((file) => writeFileSync(path.join(path.dirname(file), 'cgroup.events'), events(value === '1' ? 1 : 0))),
          settleMs
        )
      }
      return Promise.resolve()
    }
  }

  it('pause writes 1 into each node’s cgroup.freeze in one call, and returns only once cgroup.events says frozen 1', async () => {
    const root = v2Host()
    const writes: Array<{ value: string; files: string[] }> = []
    const started = Date.now()
    await setFrozen(NODES.slice(0, 2), true, new Deadline(5, 'test'), { root, writeFiles: kernel(root, writes) })
    expect(Date.now() - started).toBeGreaterThanOrEqual(25)
    expect(writes).toEqual([{ value: '1', files: NODES.slice(0, 2).map((cgroup) => `/sys/fs/cgroup${cgroup}/cgroup.freeze`) }])
    expect(freezeOf(root)).toEqual(['1\n', '1\n', '0\n'])
    expect(eventsOf(root)).toEqual([events(1), events(1), events(0)])
    const hierarchy = freezerHierarchy(root)!
    expect(NODES.map((cgroup) => isFrozen(hierarchy, cgroup))).toEqual([true, true, false])
  })

  it('resume writes 0 and waits for frozen 0; thawing for a kill writes 0 only where a node is frozen, without waiting', async () => {
    const root = v2Host()
    const writes: Array<{ value: string; files: string[] }> = []
    await setFrozen(NODES, true, new Deadline(5, 'test'), { root, writeFiles: kernel(root, writes) })
    await setFrozen(NODES.slice(1), false, new Deadline(5, 'test'), { root, writeFiles: kernel(root, writes) })
    expect(eventsOf(root)).toEqual([events(1), events(0), events(0)])
    await thawFrozen(NODES, { root, writeFiles: kernel(root, writes) })
    expect(writes.slice(1).map(({ value, files }) => `${value} ${files.length}`)).toEqual(['0 2', '0 1'])
    expect(writes.at(-1)!.files).toEqual([`/sys/fs/cgroup${NODES[0]}/cgroup.freeze`])
    // Once the kernel has thawed it, nothing is frozen: nothing to write.
    await pollUntil(new Deadline(5, 'test'), 'the kernel to thaw', () => Promise.resolve(eventsOf(root)[0] === events(0)), { intervalMs: 5 })
    await thawFrozen(NODES, { root, writeFiles: kernel(root, writes) })
    expect(writes).toHaveLength(3)
  })

  it('a cgroup the kernel never reports frozen fails at the bound, naming the `timeout` input', async () => {
    const root = v2Host()
    await expect(setFrozen([NODES[0]], true, new Deadline(0.2, 'test'), { root, writeFiles: kernel(root, [], -1) })).rejects.toThrow(
      /timed out after \d+ s waiting for the nodes to freeze; the bound is the `timeout` input/
    )
  })

  it('a node without a cgroup of its own, or a host without a freezer, fails before anything is written', async () => {
    const root = v2Host()
    const writes: Array<{ value: string; files: string[] }> = []
    await expect(setFrozen([`${PARENT}/gone`], true, new Deadline(1, 'test'), { root, writeFiles: kernel(root, writes) })).rejects.toThrow(
      `no cgroup to freeze: ${PARENT}/gone`
    )
    const noFreezer = fakeHost(OTHER_MOUNTS, [])
    await expect(setFrozen(NODES, true, new Deadline(1, 'test'), { root: noFreezer, writeFiles: kernel(noFreezer, writes) })).rejects.toThrow(
      'this runner has no cgroup freezer'
    )
    expect(writes).toEqual([])
  })
})
