// Builds every bundle of dist/ with ncc, from an empty dist/ so that no stale chunk survives.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { BUNDLES } from './bundles.js'

rmSync('dist', { recursive: true, force: true })
for (const { entry, out } of BUNDLES) {
  execFileSync('ncc', ['build', entry, '-o', out, '--license', 'licenses.txt'], { stdio: 'inherit' })
}
