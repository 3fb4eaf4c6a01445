// Plain JavaScript: the dist test imports it on whatever Node runs jest.
// Builds every bundle of dist/ from a clean dist/: the action's (main and post) and the small
// actions' beside it (diagnose/action.yml runs ../dist/diagnose/index.js; destroy, sweep likewise). `npm run build`; the dist test
// builds the same list elsewhere and compares.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Each entry and the directory of its bundle, relative to the repository. */
export const BUNDLES = [
  { entry: 'src/index.ts', out: 'dist' },
  { entry: 'src/actions/diagnose.ts', out: 'dist/diagnose' },
  { entry: 'src/actions/destroy.ts', out: 'dist/destroy' },
  { entry: 'src/actions/sweep.ts', out: 'dist/sweep' },
  { entry: 'src/actions/build.ts', out: 'dist/build' },
  { entry: 'src/actions/fault.ts', out: 'dist/fault' }
]

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
