import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from './harness/action.js'

// Workflows run dist/, not src/: a stale dist/ is a broken release.
describe('dist/', () => {
  it('is what `npm run build` makes from the source', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'dist-check-'))
    try {
      const ncc = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
      for (const [entry, dir] of [
        ['src/index.ts', 'main'],
        ['src/post-entry.ts', 'post']
      ]) {
        execFileSync(process.execPath, [ncc, 'build', entry, '-o', path.join(out, dir), '--license', 'licenses.txt'], { cwd: ROOT, stdio: 'pipe' })
        for (const file of ['index.js', 'licenses.txt']) {
          const fresh = readFileSync(path.join(out, dir, file), 'utf8')
          const committed = readFileSync(path.join(ROOT, 'dist', dir, file), 'utf8')
          expect({ file: `dist/${dir}/${file}`, same: fresh === committed }).toEqual({ file: `dist/${dir}/${file}`, same: true })
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
