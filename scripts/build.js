// Plain JavaScript: the dist test imports it on whatever Node runs jest.
// Builds every bundle of dist/ from a clean dist/: the action's (main and post) and the small
// actions' beside it (diagnose/action.yml runs ../dist/diagnose/index.js; destroy, sweep likewise). `npm run build`; the dist test
// builds the same list elsewhere and compares.
import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
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

/** Builds every bundle into `outDir` (dist/ or a scratch directory), which is emptied first; as many at once as there are cores. */
export async function buildAll(outDir) {
  rmSync(outDir, { recursive: true, force: true })
  const ncc = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
  const queue = [...BUNDLES]
  const builder = async () => {
    for (let bundle = queue.shift(); bundle; bundle = queue.shift()) {
      const target = path.join(outDir, path.relative('dist', bundle.out))
      const { stderr } = await promisify(execFile)(
        process.execPath,
        [ncc, 'build', bundle.entry, '-o', target, '--license', 'licenses.txt', '--quiet'],
        {
          cwd: ROOT,
          maxBuffer: 16 << 20
        }
      )
      process.stderr.write(stderr)
    }
  }
  await Promise.all(Array.from({ length: Math.min(os.availableParallelism(), BUNDLES.length) }, builder))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  buildAll(path.join(ROOT, 'dist')).catch((error) => {
    process.stderr.write(`${error.stderr ?? ''}${error.message}\n`)
    process.exitCode = 1
  })
}
