import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findCluster, writeClusterRecord, type ClusterRecord } from '../../src/state/record.js'
import { redact, REDACTED } from '../../src/diagnostics/redact.js'
import { uploadDiagnostics, type ArtifactUploader } from '../../src/diagnostics/upload.js'

describe('redaction', () => {
  it('removes join tokens, unlock keys, private keys and the given values', () => {
    const token = 'SWMTKN-1-3vb8p4b62vfr0qwti6aanc93k42e4sq3du2yhrc7gjacyds0a1-3sy72mwe72ztgt50qctqttmzy'
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----'
    const text = `join with ${token} now\n${key}\nunlock SWMKEY-1-abc+/def=\npassword hunter2-hunter2`
    expect(redact(text, ['hunter2-hunter2'])).toBe(`join with ${REDACTED} now\n${REDACTED}\nunlock ${REDACTED}\npassword ${REDACTED}`)
  })

  it('removes a private key cut off at the end of a log', () => {
    expect(redact('tail: -----BEGIN PRIVATE KEY-----\nMIGH')).toBe(`tail: ${REDACTED}`)
  })

  it('leaves short values alone: they would blank out ordinary words', () => {
    expect(redact('node one ready', ['one'])).toBe('node one ready')
  })
})

// The artifact upload at its boundary: the client is handed in, as tests hand in a fake one.
describe('the artifact upload', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'diag-upload-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('uploads every collected file as one artifact, rooted at the collection, kept 7 days', async () => {
    const uploadArtifact = jest.fn<ArtifactUploader['uploadArtifact']>().mockResolvedValue({ id: 42, size: 1234 })
    const result = await uploadDiagnostics(dir, ['node-ls.txt', 'nodes/a/info.txt'], 'setup-swarm-x-diagnostics', { uploadArtifact })
    expect(result).toEqual({ uploaded: true, name: 'setup-swarm-x-diagnostics', id: 42, size: 1234 })
    expect(uploadArtifact).toHaveBeenCalledTimes(1)
    expect(uploadArtifact).toHaveBeenCalledWith(
      'setup-swarm-x-diagnostics',
      [path.join(dir, 'node-ls.txt'), path.join(dir, 'nodes/a/info.txt')],
      dir,
      { retentionDays: 7 }
    )
  })

  it('turns a failed upload into a reason, never an exception', async () => {
    const uploadArtifact = jest
      .fn<ArtifactUploader['uploadArtifact']>()
      .mockRejectedValue(new Error('409 Conflict: an artifact with this name already exists'))
    expect(await uploadDiagnostics(dir, ['a.txt'], 'n', { uploadArtifact })).toEqual({
      uploaded: false,
      name: 'n',
      reason: '409 Conflict: an artifact with this name already exists'
    })
  })

  it('gives up on an upload that does not finish within its bound', async () => {
    const uploadArtifact = jest.fn<ArtifactUploader['uploadArtifact']>().mockReturnValue(new Promise(() => undefined))
    const started = Date.now()
    const result = await uploadDiagnostics(dir, ['a.txt'], 'n', { uploadArtifact }, 200)
    expect(result).toEqual({ uploaded: false, name: 'n', reason: 'the upload did not finish within 0.2 s' })
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('does not try without a GitHub runner’s token, and says so', async () => {
    const saved = process.env.ACTIONS_RUNTIME_TOKEN
    delete process.env.ACTIONS_RUNTIME_TOKEN
    try {
      expect(await uploadDiagnostics(dir, ['a.txt'], 'n')).toEqual({
        uploaded: false,
        name: 'n',
        reason: 'not on a GitHub runner (no ACTIONS_RUNTIME_TOKEN), so no artifact'
      })
    } finally {
      if (saved !== undefined) process.env.ACTIONS_RUNTIME_TOKEN = saved
    }
  })
})

describe('finding a cluster on the runner', () => {
  let temp: string
  const saved = { ...process.env }
  const OWNER = { repository: 'octo-org/app', user: 'runner' }
  beforeEach(() => {
    temp = mkdtempSync(path.join(os.tmpdir(), 'diag-find-'))
    process.env.RUNNER_TEMP = temp
    process.env.XDG_STATE_HOME = path.join(temp, 'state')
    process.env.GITHUB_REPOSITORY = OWNER.repository
  })
  afterEach(() => {
    rmSync(temp, { recursive: true, force: true })
    process.env = { ...saved }
  })
  /** A record of `owner`'s cluster (null: one that records none) in this job's dir, or in the repository's kept one. */
  const make = async (name: string, owner: typeof OWNER | null = OWNER, kept = false): Promise<ClusterRecord> => {
    const dir = kept ? path.join(temp, 'state', 'setup-swarm', 'octo-org', 'app', name) : path.join(temp, 'setup-swarm', name)
    mkdirSync(dir, { recursive: true })
    const record = { name, driver: 'local', state: { name, driver: 'local', cleanup: true, dir, owner: owner ?? undefined }, nodes: [] }
    await writeClusterRecord(record)
    return record
  }

  it('finds the only one without a name', async () => {
    const record = await make('a')
    // A cluster whose main failed before any node existed has a dir but no record.
    mkdirSync(path.join(temp, 'setup-swarm', 'early'))
    expect(await findCluster('', OWNER)).toEqual(record)
  })

  it('finds one by name among several, and asks for a name otherwise', async () => {
    await make('a')
    const b = await make('b')
    expect(await findCluster('b', OWNER)).toEqual(b)
    await expect(findCluster('', OWNER)).rejects.toThrow('2 clusters on this runner (a, b): give the diagnose step the `name` of one')
  })

  it('refuses another repository’s or user’s cluster, and one that records no owner, saying whose it is', async () => {
    await make('theirs', { repository: 'octo-org/other', user: 'runner' }, true)
    await make('root', { repository: 'octo-org/app', user: 'root' })
    await make('old', null, true)
    await expect(findCluster('theirs', OWNER)).rejects.toThrow(
      /^cluster "theirs" \(.*\) belongs to repository octo-org\/other, runner user runner, not to this run \(repository octo-org\/app, runner user runner\)/
    )
    await expect(findCluster('', OWNER)).rejects.toThrow('belongs to repository octo-org/app, runner user root, not to this run')
    await expect(findCluster('old', OWNER)).rejects.toThrow('records no repository it belongs to')
  })

  it('says so when there is none, or none of that name', async () => {
    await expect(findCluster('', OWNER)).rejects.toThrow(/^no cluster with nodes on this runner/)
    writeFileSync(path.join(temp, 'stray'), '')
    await expect(findCluster('x', OWNER)).rejects.toThrow(/^no cluster named "x" on this runner/)
  })
})
