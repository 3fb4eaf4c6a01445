import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BUNDLES } from '../../scripts/bundles.js'
import { ROOT } from '../harness/action.js'

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort()

// Workflows run dist/, not src/: a stale dist/ is a broken release.
describe('dist/', () => {
  it('is what `npm run build` makes from the source, file for file, every bundle', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'dist-check-'))
    try {
      const ncc = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
      for (const bundle of BUNDLES) {
        const target = path.join(out, path.relative('dist', bundle.out))
        execFileSync(process.execPath, [ncc, 'build', bundle.entry, '-o', target, '--license', 'licenses.txt'], { cwd: ROOT, stdio: 'pipe' })
      }
      const committed = path.join(ROOT, 'dist')
      expect(files(committed)).toEqual(files(out))
      const stale = files(out).filter((file) => readFileSync(path.join(out, file), 'utf8') !== readFileSync(path.join(committed, file), 'utf8'))
      expect(stale).toEqual([])
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
