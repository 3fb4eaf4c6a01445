import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { withShebang } from '../../../src/drivers/aws/index.js'

const SOURCE = readFileSync(path.join(process.cwd(), 'src/drivers/aws/user-data.sh'), 'utf8')

describe("driver aws's user data", () => {
  it('is a bash script (cloud-init runs user data as a script only when it starts with #!)', () => {
    expect(SOURCE.startsWith('#!/bin/bash\n')).toBe(true)
    expect(withShebang(SOURCE)).toBe(SOURCE)
  })

  it('gets its #! line back where the bundler dropped it, as in every dist/ bundle', () => {
    const copies = ['dist', 'dist/destroy', 'dist/fault'].flatMap((dir) =>
      readdirSync(dir)
        .filter((file) => file.endsWith('.sh'))
        .map((file) => readFileSync(path.join(dir, file), 'utf8'))
    )
    expect(copies.length).toBeGreaterThan(0)
    for (const copy of copies) expect(withShebang(copy)).toBe(SOURCE)
  })

  it('holds no key, certificate or credential, and fetches no script', () => {
    expect(SOURCE).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE|AWS_SECRET|aws_secret|curl|wget|get\.docker\.com/)
  })
})
