import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildArgs, composeBuilds, parseBuildLines } from '../../src/workload/build-plan.js'

describe('what the build action builds', () => {
  it('takes `<tag> <context> [<Dockerfile>]` a line, the Dockerfile relative to its context', () => {
    const images = parseBuildLines('myapp/web:ci ./web\n\n# the worker\nmyapp/worker:ci "./work er" Dockerfile.ci\n')
    expect(images.map(buildArgs)).toEqual([
      ['build', '--tag', 'myapp/web:ci', './web'],
      ['build', '--tag', 'myapp/worker:ci', '--file', 'work er/Dockerfile.ci', './work er']
    ])
    expect(() => parseBuildLines('only-a-tag')).toThrow('input `images`, line 1 (only-a-tag): expected `<tag> <context> [<Dockerfile>]`')
    expect(() => parseBuildLines('../x ./web')).toThrow('input `images`: "../x" is not an image reference such as `myapp:ci`')
  })

  it("builds a compose file's build sections under each service's image name, relative to the file", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-'))
    try {
      const file = path.join(dir, 'stack.yml')
      writeFileSync(
        file,
        'services:\n  web: { image: app/web:ci, build: ./web }\n  api:\n    image: app/api:ci\n    build: { context: api, dockerfile: Dockerfile.ci, target: run, args: [MODE=ci] }\n  db: { image: postgres:16 }\n'
      )
      expect(composeBuilds(file).map(buildArgs)).toEqual([
        ['build', '--tag', 'app/web:ci', path.join(dir, 'web')],
        [
          'build',
          '--tag',
          'app/api:ci',
          '--file',
          path.join(dir, 'api', 'Dockerfile.ci'),
          '--target',
          'run',
          '--build-arg',
          'MODE=ci',
          path.join(dir, 'api')
        ]
      ])
      writeFileSync(file, 'services:\n  web: { build: ./web }\n')
      expect(() => composeBuilds(file)).toThrow(/service web has `build:` but no `image:`/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
