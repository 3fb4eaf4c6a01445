// Plain JavaScript: the dist test imports it on whatever Node runs jest.
// Builds every bundle of dist/ (scripts/bundles.js) from a clean dist/, so that no stale chunk
// survives. `npm run build`; the dist test builds the same list into a scratch directory and compares.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BUNDLES } from './bundles.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Builds every bundle into `outDir` (dist/ or a scratch directory), which is emptied first. */
export function buildAll(outDir) {
  rmSync(outDir, { recursive: true, force: true })
  const ncc = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
  for (const { entry, out } of BUNDLES) {
    const target = path.join(outDir, path.relative('dist', out))
    execFileSync(process.execPath, [ncc, 'build', entry, '-o', target, '--license', 'licenses.txt', '--quiet'], { cwd: ROOT, stdio: 'inherit' })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) buildAll(path.join(ROOT, 'dist'))
