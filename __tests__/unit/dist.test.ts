import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BUNDLES } from '../../scripts/build.js'
import { ROOT } from '../harness/action.js'

/** Every file under `dir`, relative to it. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort()

// Workflows run dist/, not src/: a stale dist/ is a broken release.
describe('dist/', () => {
  it('is what `npm run build` makes from the source, every bundle, file for file', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'dist-check-'))
    try {
      const scratch = path.join(out, 'dist')
      // The build script's own list of bundles, built into a scratch dist/.
      execFileSync(
        process.execPath,
        ['-e', `import(${JSON.stringify(path.join(ROOT, 'scripts', 'build.js'))}).then((m) => m.buildAll(${JSON.stringify(scratch)}))`],
        {
          cwd: ROOT,
          stdio: 'pipe'
        }
      )
      const committed = path.join(ROOT, 'dist')
      expect(filesUnder(committed)).toEqual(filesUnder(scratch))
      expect(filesUnder(scratch)).toEqual(expect.arrayContaining(BUNDLES.map((bundle) => path.join(path.relative('dist', bundle.out), 'index.js'))))
      const stale = filesUnder(scratch).filter(
        (file) => readFileSync(path.join(scratch, file), 'utf8') !== readFileSync(path.join(committed, file), 'utf8')
      )
      expect(stale).toEqual([])
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
