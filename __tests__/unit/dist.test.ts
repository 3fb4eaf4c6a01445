import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from '../harness/action.js'

// Workflows run dist/, not src/: a stale dist/ is a broken release.
describe('dist/', () => {
  it('is what `npm run build` makes from the source, file for file', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'dist-check-'))
    try {
      const ncc = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
      execFileSync(process.execPath, [ncc, 'build', 'src/index.ts', '-o', out, '--license', 'licenses.txt'], { cwd: ROOT, stdio: 'pipe' })
      const committed = path.join(ROOT, 'dist')
      expect(readdirSync(committed).sort()).toEqual(readdirSync(out).sort())
      const stale = readdirSync(out).filter((file) => readFileSync(path.join(out, file), 'utf8') !== readFileSync(path.join(committed, file), 'utf8'))
      expect(stale).toEqual([])
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
