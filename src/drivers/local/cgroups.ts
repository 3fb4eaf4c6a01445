import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { privileged } from './host-tools.js'

// Each engine puts its containers under the cluster's cgroup parent (dockerd --cgroup-parent), which
// the engine creates; what it leaves once its processes are gone is removed here.

export async function removeCgroups(parent: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields[2] === 'cgroup' || fields[2] === 'cgroup2')
  for (const [, mountPoint] of mounts) {
    const top = path.join(mountPoint, parent)
    if (existsSync(top)) await removeCgroupTree(top)
  }
}

async function removeCgroupTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true })
  for (const entry of entries.filter((e) => e.isDirectory())) await removeCgroupTree(path.join(dir, entry.name))
  await privileged('rmdir', [dir])
}
