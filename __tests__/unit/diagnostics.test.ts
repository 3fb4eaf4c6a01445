import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findCluster, writeClusterRecord, type ClusterRecord } from '../../src/cluster-record.js'
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
  const saved = process.env.RUNNER_TEMP
  beforeEach(() => {
    temp = mkdtempSync(path.join(os.tmpdir(), 'diag-find-'))
    process.env.RUNNER_TEMP = temp
  })
  afterEach(() => {
    rmSync(temp, { recursive: true, force: true })
    if (saved === undefined) delete process.env.RUNNER_TEMP
    else process.env.RUNNER_TEMP = saved
  })
  const make = async (name: string): Promise<ClusterRecord> => {
    const dir = path.join(temp, 'setup-swarm', name)
    mkdirSync(dir, { recursive: true })
    const record = { name, driver: 'local', state: { name, driver: 'local', cleanup: true, dir }, nodes: [] }
    await writeClusterRecord(record)
    return record
  }

  it('finds the only one without a name', async () => {
    const record = await make('a')
    // A cluster whose main failed before any node existed has a dir but no record.
    mkdirSync(path.join(temp, 'setup-swarm', 'early'))
    expect(await findCluster('')).toEqual(record)
  })

  it('finds one by name among several, and asks for a name otherwise', async () => {
    await make('a')
    const b = await make('b')
    expect(await findCluster('b')).toEqual(b)
    await expect(findCluster('')).rejects.toThrow('2 clusters on this runner (a, b): give the diagnose step the `name` of one')
  })

  it('says so when there is none, or none of that name', async () => {
    await expect(findCluster('')).rejects.toThrow(/^no cluster with nodes on this runner/)
    writeFileSync(path.join(temp, 'stray'), '')
    await expect(findCluster('x')).rejects.toThrow(/^no cluster named "x" on this runner/)
  })
})
