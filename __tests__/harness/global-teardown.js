import { rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export default async function globalTeardown() {
  rmSync(path.join(os.tmpdir(), 'setup-swarm-tests'), { recursive: true, force: true })
}
