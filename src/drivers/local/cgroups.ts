import { existsSync, readFileSync, readdirSync, type Dirent } from 'node:fs'
import path from 'node:path'
import { pollUntil, type Deadline } from '../../tools/wait.js'
import { privileged } from './host-tools.js'

// Each engine puts its containers under the cluster's cgroup parent (dockerd's cgroupfs driver with
// --cgroup-parent): runc makes <parent>/<container> in every hierarchy it finds. On cgroup v1 that is
// one per controller mount (co-mounted controllers such as cpu,cpuacct share one), the named
// name=systemd one and, on a hybrid host, the cgroup2 `unified` one too; on v2 the one hierarchy.
// BuildKit in an engine nests its build steps deeper (<parent>/buildkit/<id>). The engines create
// these and never remove them once killed: post does, children first (a cgroup with children
// cannot be removed).

/** The hierarchies' roots, one path each (under `root`: a stand-in for /, for tests). */
export function cgroupHierarchies(root = '/'): string[] {
  const seen = new Set<string>()
  const roots: string[] = []
  // mountinfo, not /proc/mounts: its device number tells a hierarchy mounted twice (a bind mount,
  // or the same controllers mounted again) from two hierarchies, and its root field a mount of a
  // hierarchy's subdirectory (a container's view) from a mount of the whole.
  for (const line of readFileSync(path.join(root, 'proc/self/mountinfo'), 'utf8').split('\n')) {
    const fields = line.split(' ')
    const [device, mountRoot, mountPoint] = fields.slice(2, 5)
    const fsType = fields[fields.indexOf('-', 6) + 1]
    const tree = `${device} ${mountRoot}`
    if ((fsType !== 'cgroup' && fsType !== 'cgroup2') || seen.has(tree)) continue
    seen.add(tree)
    roots.push(path.join(root, unescapeMountField(mountPoint)))
  }
  return roots
}

/** The kernel writes a space, tab, newline or backslash in a mount's path as an octal escape (\040). */
const unescapeMountField = (field: string): string => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))

/** `dir` and every cgroup below it, children before their parents; nothing once `dir` is gone. */
export function cgroupTree(dir: string): string[] {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch (error) {
    // Another remover (another post, the engine itself) may have taken it since it was listed.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return [...entries.filter((entry) => entry.isDirectory()).flatMap((entry) => cgroupTree(path.join(dir, entry.name))), dir]
}

/**
 * One rmdir for every directory (one sudo, not one per cgroup): given children first, it removes
 * them in that order and goes on past a directory it cannot remove.
 */
const rmdirAsRoot = (dirs: string[]) => privileged('rmdir', ['--', ...dirs])

interface RemoveOptions {
  /** A stand-in for /, for tests. */
  root?: string
  /** Removes the directories given, in their order. */
  removeDirs?: (dirs: string[]) => Promise<unknown>
}

/** Removes the cluster's cgroup parent, with everything below it, from every hierarchy. */
export async function removeCgroups(parent: string, { root = '/', removeDirs = rmdirAsRoot }: RemoveOptions = {}): Promise<void> {
  // A parent that is not a cgroup below a hierarchy's root would take other cgroups with it.
  if (!/^\/[^/]/.test(parent) || parent.split('/').includes('..')) throw new Error(`not a cgroup parent: ${parent}`)
  const dirs = cgroupHierarchies(root).flatMap((hierarchy) => cgroupTree(path.join(hierarchy, parent)))
  if (!dirs.length) return
  try {
    await removeDirs(dirs)
  } catch (error) {
    // Some may have gone meanwhile by another hand: only a directory still there is a failure.
    if (dirs.some((dir) => existsSync(dir))) throw error
  }
}

/**
 * Where a node can be frozen: the cgroup v1 `freezer` controller's hierarchy, else the cgroup v2
 * hierarchy (the single one, or a hybrid host's `unified` mount), whose every cgroup has
 * `cgroup.freeze`. Undefined on a host with neither.
 */
export interface FreezerHierarchy {
  path: string
  version: 1 | 2
}

export function freezerHierarchy(root = '/'): FreezerHierarchy | undefined {
  let v2: FreezerHierarchy | undefined
  for (const line of readFileSync(path.join(root, 'proc/self/mountinfo'), 'utf8').split('\n')) {
    const fields = line.split(' ')
    const [mountRoot, mountPoint] = fields.slice(3, 5)
    const dash = fields.indexOf('-', 6)
    const [fsType, , superOptions = ''] = fields.slice(dash + 1)
    // A mount of a hierarchy's subdirectory (a container's view) cannot reach the cluster's cgroups.
    if (mountRoot !== '/') continue
    const at = path.join(root, unescapeMountField(mountPoint ?? ''))
    if (fsType === 'cgroup' && superOptions.split(',').includes('freezer')) return { path: at, version: 1 }
    if (fsType === 'cgroup2' && !v2) v2 = { path: at, version: 2 }
  }
  return v2
}

/** The file that freezes a cgroup, and what it holds frozen and thawed. */
export function freezeControl(hierarchy: FreezerHierarchy, cgroup: string): { file: string; frozen: string; thawed: string } {
  return hierarchy.version === 1
    ? { file: path.join(hierarchy.path, cgroup, 'freezer.state'), frozen: 'FROZEN', thawed: 'THAWED' }
    : { file: path.join(hierarchy.path, cgroup, 'cgroup.freeze'), frozen: '1', thawed: '0' }
}

/** Whether `cgroup` is frozen now (v1: FROZEN, not FREEZING; v2: its cgroup.events says frozen). */
export function isFrozen(hierarchy: FreezerHierarchy, cgroup: string): boolean {
  try {
    if (hierarchy.version === 1) return readFileSync(path.join(hierarchy.path, cgroup, 'freezer.state'), 'utf8').trim() === 'FROZEN'
    return /^frozen 1$/m.test(readFileSync(path.join(hierarchy.path, cgroup, 'cgroup.events'), 'utf8'))
  } catch {
    return false
  }
}

interface FreezeOptions {
  /** A stand-in for /, for tests. */
  root?: string
  /** Writes `value` into every file (as root: one sudo for all). */
  writeFiles?: (value: string, files: string[]) => Promise<unknown>
}

const writeAsRoot = (value: string, files: string[]) =>
  privileged('sh', ['-c', 'value=$1; shift; for file in "$@"; do echo "$value" > "$file"; done', 'setup-swarm-freeze', value, ...files])

/**
 * Freezes (or thaws) the cgroups, and waits until the kernel says they are: v1's freezer.state
 * reads FROZEN only once every process stopped (FREEZING before), v2's cgroup.events says
 * `frozen 1` only then, whatever cgroup.freeze holds.
 */
export async function setFrozen(
  cgroups: string[],
  frozen: boolean,
  deadline: Deadline,
  { root = '/', writeFiles = writeAsRoot }: FreezeOptions = {}
): Promise<void> {
  const freezer = freezerHierarchy(root)
  if (!freezer) throw new Error('this runner has no cgroup freezer (neither the v1 freezer controller nor cgroup v2): nodes cannot be paused')
  // A node started before nodes had a cgroup of their own cannot be frozen: writing would create nothing on cgroupfs.
  const missing = cgroups.filter((cgroup) => !existsSync(path.join(freezer.path, cgroup)))
  if (missing.length) throw new Error(`no cgroup to freeze: ${missing.join(', ')} (a node started before nodes had a cgroup of their own)`)
  const controls = cgroups.map((cgroup) => freezeControl(freezer, cgroup))
  await writeFiles(
    frozen ? controls[0].frozen : controls[0].thawed,
    controls.map((control) => control.file)
  )
  await pollUntil(
    deadline,
    frozen ? 'the nodes to freeze' : 'the nodes to thaw',
    () => Promise.resolve(cgroups.every((cgroup) => isFrozen(freezer, cgroup) === frozen)),
    { intervalMs: 5 }
  )
}

/** Thaws those of the cgroups that are frozen, without waiting (a frozen process cannot die on v1: remove thaws before it kills). */
export async function thawFrozen(cgroups: string[], { root = '/', writeFiles = writeAsRoot }: FreezeOptions = {}): Promise<void> {
  const freezer = freezerHierarchy(root)
  const frozen = freezer ? cgroups.filter((cgroup) => isFrozen(freezer, cgroup)) : []
  if (!freezer || !frozen.length) return
  const controls = frozen.map((cgroup) => freezeControl(freezer, cgroup))
  await writeFiles(
    controls[0].thawed,
    controls.map((control) => control.file)
  )
}
