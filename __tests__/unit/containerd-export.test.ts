import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { containerdExportArgv, containerdName, containerdSources } from '../../src/engine/containerd-export.js'

// Whether the runner's images go out through containerd's own export, and under which names. The
// export itself runs against real engines in the e2e tests (integration.test.ts, containerd-store
// runner); here `ctr` is a stand-in that prints a given `images list`.

describe("containerdName: Docker's normalisation of a reference, as containerd names the image", () => {
  it.each([
    ['app', 'docker.io/library/app:latest'],
    ['app:1', 'docker.io/library/app:1'],
    ['bench/app:1', 'docker.io/bench/app:1'],
    ['docker.io/app', 'docker.io/library/app:latest'],
    ['ghcr.io/owner/app:2', 'ghcr.io/owner/app:2'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/team/app:3', 'localhost:5000/team/app:3'],
    ['registry.example:5000/app', 'registry.example:5000/app:latest']
  ])('%s is %s', (reference, name) => expect(containerdName(reference)).toBe(name))

  it.each(['app@sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64), 'c'.repeat(12)])('%s has no name to look up', (reference) =>
    expect(containerdName(reference)).toBeUndefined()
  )
})

describe('containerdSources', () => {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'fake-ctr-'))
  const savedPath = process.env.PATH
  afterEach(() => {
    process.env.PATH = savedPath
  })
  afterAll(() => rmSync(bin, { recursive: true, force: true }))

  const digest = (char: string) => `sha256:${char.repeat(64)}`
  const containerd = { address: '/run/containerd/containerd.sock', namespace: 'moby' }
  /** A `ctr` that prints `listing` (to stderr when it fails) for `images list` when given containerd's address and namespace, and fails otherwise. */
  function fakeCtr(listing: string, exitCode = 0) {
    writeFileSync(
      path.join(bin, 'ctr'),
      `#!/bin/sh\n[ "$*" = "--address ${containerd.address} --namespace ${containerd.namespace} images list" ] || { echo "unexpected: $*" >&2; exit 2; }\ncat <<'EOF' ${exitCode ? '>&2' : ''}\n${listing}\nEOF\nexit ${exitCode}\n`
    )
    chmodSync(path.join(bin, 'ctr'), 0o755)
    process.env.PATH = `${bin}:${savedPath}`
  }
  const HEADER = 'REF                    TYPE                                       DIGEST   SIZE      PLATFORMS   LABELS'
  const row = (ref: string, id: string) => `${ref} application/vnd.oci.image.index.v1+json ${id} 101.0 MiB linux/amd64,linux/arm64/v8 -`

  it('names every image where containerd lists it with the digest the engine reports as its ID', async () => {
    fakeCtr([HEADER, row('docker.io/library/app:1', digest('a')), row('ghcr.io/o/tool:2', digest('b'))].join('\n'))
    const sources = await containerdSources(
      [
        { reference: 'app:1', id: digest('a') },
        { reference: 'ghcr.io/o/tool:2', id: digest('b') }
      ],
      containerd
    )
    expect(sources).toEqual([
      { ctr: path.join(bin, 'ctr'), ...containerd, name: 'docker.io/library/app:1' },
      { ctr: path.join(bin, 'ctr'), ...containerd, name: 'ghcr.io/o/tool:2' }
    ])
    const [file, args] = containerdExportArgv(sources as Exclude<typeof sources, string>, 'linux/amd64')
    expect([file, ...args]).toEqual([
      ...(process.getuid?.() === 0 ? [] : ['sudo', '-n', '--']),
      path.join(bin, 'ctr'),
      ...['--address', containerd.address, '--namespace', 'moby', 'images', 'export', '--platform', 'linux/amd64', '-'],
      ...['docker.io/library/app:1', 'ghcr.io/o/tool:2']
    ])
  })

  it('says why not when containerd holds another image under the name (another engine than the one DOCKER_HOST reaches)', async () => {
    fakeCtr([HEADER, row('docker.io/library/app:1', digest('c'))].join('\n'))
    expect(await containerdSources([{ reference: 'app:1', id: digest('a') }], containerd)).toBe(
      `containerd at ${containerd.address} does not hold app:1 as the engine does`
    )
  })

  it('says why not when `ctr` fails (no sudo, no socket)', async () => {
    fakeCtr('ctr: failed to dial "/run/containerd/containerd.sock": permission denied', 1)
    expect(await containerdSources([{ reference: 'app:1', id: digest('a') }], containerd)).toBe(
      '`ctr images list` failed: ctr: failed to dial "/run/containerd/containerd.sock": permission denied'
    )
  })

  it('says why not for an image given by ID, without asking containerd', async () => {
    fakeCtr('', 3)
    expect(await containerdSources([{ reference: 'a'.repeat(12), id: digest('a') }], containerd)).toBe(`${'a'.repeat(12)} not given as name:tag`)
  })
})
