import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseFileCommands, ROOT } from '../harness/action.js'

// The reusable workflows' shell steps, run as their steps run them: environment in, GITHUB_OUTPUT out.

const SCRIPTS = path.join(ROOT, 'scripts', 'workflows')

function runScript(script: string, env: Record<string, string>, dir: string) {
  const output = path.join(dir, 'output')
  writeFileSync(output, '')
  const result = spawnSync('bash', [path.join(SCRIPTS, script)], {
    env: { PATH: process.env.PATH, RUNNER_TEMP: dir, GITHUB_OUTPUT: output, ...env },
    encoding: 'utf8',
    cwd: dir
  })
  return { code: result.status, log: `${result.stdout}${result.stderr}`, outputs: parseFileCommands(readFileSync(output, 'utf8')) }
}

const withDir = <T>(work: (dir: string) => T): T => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wf-scripts-'))
  try {
    return work(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('write-tls.sh', () => {
  const secrets = {
    TLS_CA_CERT: 'CA-CERT-TEXT',
    TLS_CA_KEY: 'CA-KEY-SECRET',
    TLS_CLIENT_CERT: 'CLIENT-CERT-TEXT',
    TLS_CLIENT_KEY: 'CLIENT-KEY-SECRET'
  }

  it('writes each secret into a 0600 file of a 0700 directory, outputs the paths, and prints no secret', () => {
    const result = withDir((dir) => {
      const run = runScript('write-tls.sh', secrets, dir)
      const files = Object.values(run.outputs).map((file) => ({ mode: statSync(file).mode & 0o777, text: readFileSync(file, 'utf8') }))
      return { ...run, files, dirMode: statSync(path.join(dir, 'setup-swarm-tls')).mode & 0o777 }
    })
    expect(result.code).toBe(0)
    expect(Object.keys(result.outputs)).toEqual(['tls-ca-cert', 'tls-ca-key', 'tls-client-cert', 'tls-client-key'])
    expect(result.files).toEqual(Object.values(secrets).map((text) => ({ mode: 0o600, text: `${text}\n` })))
    expect(result.dirMode).toBe(0o700)
    for (const secret of Object.values(secrets)) expect(result.log).not.toContain(secret)
  })

  it('fails naming a missing secret', () => {
    const result = withDir((dir) => runScript('write-tls.sh', { ...secrets, TLS_CA_KEY: '' }, dir))
    expect(result.code).toBe(1)
    expect(result.log).toContain('::error::secret tls_ca_key is empty')
  })
})

describe('pr-comment.sh', () => {
  interface Comment {
    id: number
    body: string
    user: { login: string }
  }
  const BOT = { login: 'github-actions[bot]' }

  /** A `gh` that answers the comments list from a file, one page per comment, and records every call with what it read. */
  function fakeGh(dir: string, existing: Comment[]) {
    const bin = path.join(dir, 'bin')
    const log = path.join(dir, 'gh.log')
    spawnSync('mkdir', [bin])
    writeFileSync(path.join(dir, 'comments.json'), JSON.stringify(existing))
    writeFileSync(
      path.join(bin, 'gh'),
      `#!/usr/bin/env bash
printf '%s\\n' "ARGS $*" >>"${log}"
if [[ "$*" == *"--input -"* ]]; then printf 'STDIN %s\\n' "$(cat)" >>"${log}"; exit 0; fi
jq -c '.[] | [.]' "${dir}/comments.json"
`
    )
    chmodSync(path.join(bin, 'gh'), 0o755)
    return { PATH: `${bin}:${process.env.PATH}`, log }
  }
  const services = JSON.stringify([
    { name: 'app_db', running: 1, replicas: 1, ports: [] },
    { name: 'app_web', running: 2, replicas: 2, ports: [{ address: '203.0.113.5:8080' }] }
  ])
  const env = {
    STATE: 'deployed',
    NAME: 'pr-7',
    PR_NUMBER: '7',
    REPOSITORY: 'o/r',
    MANAGER_ADDRESS: '10.0.0.5:2377',
    SERVICES: services,
    URL_SERVICE: 'web'
  }

  it('makes the comment once, with the manager address and the services’ URLs, and outputs the environment URL', () => {
    const result = withDir((dir) => {
      const gh = fakeGh(dir, [{ id: 1, body: 'someone else', user: { login: 'someone' } }])
      const run = runScript('pr-comment.sh', { ...env, PATH: gh.PATH }, dir)
      return { ...run, calls: readFileSync(gh.log, 'utf8') }
    })
    expect(result.code).toBe(0)
    expect(result.outputs.url).toBe('http://203.0.113.5:8080')
    expect(result.calls).toContain('ARGS api --method POST repos/o/r/issues/7/comments --input -')
    const body = (JSON.parse(result.calls.split('STDIN ')[1]) as { body: string }).body
    expect(body.split('\n').slice(0, 3)).toEqual([
      '<!-- setup-swarm:pr-environment:pr-7 -->',
      '### Environment pr-7',
      'Deployed. Swarm manager: `10.0.0.5:2377`'
    ])
    expect(body).toContain('| app_web | 2/2 | http://203.0.113.5:8080 |')
  })

  it('edits its own comment in place on the next run, and says when the environment is destroyed', () => {
    const result = withDir((dir) => {
      const gh = fakeGh(dir, [
        { id: 41, body: 'someone else', user: { login: 'someone' } },
        { id: 42, body: '<!-- setup-swarm:pr-environment:pr-7 -->\nold', user: BOT }
      ])
      const run = runScript('pr-comment.sh', { ...env, STATE: 'destroyed', PATH: gh.PATH }, dir)
      return { ...run, calls: readFileSync(gh.log, 'utf8') }
    })
    expect(result.code).toBe(0)
    expect(result.calls).toContain('ARGS api --method PATCH repos/o/r/issues/comments/42 --input -')
    expect(result.calls).not.toContain('--method POST')
    expect(result.calls).toContain('Destroyed: the pull request was closed.')
    expect(result.outputs.url).toBe('')
  })

  /** The calls that write a comment: what the script made or edited. */
  const writes = (calls: string) => calls.split('\n').filter((line) => line.includes('--input -'))
  const marked = '<!-- setup-swarm:pr-environment:pr-7 -->\nthe bot edits this'

  it('never edits a comment someone else wrote, even one that starts with its marker: it edits its own, or makes one', () => {
    const calls = (existing: Comment[], extra: Record<string, string> = {}) =>
      withDir((dir) => {
        const gh = fakeGh(dir, existing)
        expect(runScript('pr-comment.sh', { ...env, ...extra, PATH: gh.PATH }, dir).code).toBe(0)
        return writes(readFileSync(gh.log, 'utf8'))
      })
    const planted = { id: 13, body: marked, user: { login: 'mallory' } }
    expect(calls([planted])).toEqual(['ARGS api --method POST repos/o/r/issues/7/comments --input -'])
    expect(calls([planted, { id: 42, body: marked, user: BOT }])).toEqual(['ARGS api --method PATCH repos/o/r/issues/comments/42 --input -'])
    // A user whose login looks like the bot's is someone else.
    expect(calls([{ ...planted, user: { login: 'github-actions' } }])).toEqual(['ARGS api --method POST repos/o/r/issues/7/comments --input -'])
    // A token of another identity (a GitHub App's) names its login.
    const app = { id: 77, body: marked, user: { login: 'my-app[bot]' } }
    expect(calls([{ id: 42, body: marked, user: BOT }, app], { COMMENT_AUTHOR: 'my-app[bot]' })).toEqual([
      'ARGS api --method PATCH repos/o/r/issues/comments/77 --input -'
    ])
  })
})
