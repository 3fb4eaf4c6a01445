import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../harness/action.js'

// The inputs and outputs tables of the README and docs/ are written from the action.yml files by
// scripts/readme-tables.js (`npm run docs`): a table that differs from them is a stale reference.

const NODE = existsSync(path.join(ROOT, 'node_modules', '.bin', 'node')) ? path.join(ROOT, 'node_modules', '.bin', 'node') : process.execPath
const SCRIPT = path.join(ROOT, 'scripts', 'readme-tables.js')
const ACTIONS = ['.', 'build', 'destroy', 'diagnose', 'fault', 'sweep']

function tables(...args: string[]) {
  const result = spawnSync(NODE, [SCRIPT, ...args], { encoding: 'utf8', cwd: ROOT })
  return { code: result.status, output: `${result.stdout}${result.stderr}` }
}

/** A copy of what the script reads: every action.yml, the README and docs/. */
function copyOfDocs() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'readme-tables-'))
  for (const dir of ACTIONS) cpSync(path.join(ROOT, dir, 'action.yml'), path.join(root, dir, 'action.yml'))
  cpSync(path.join(ROOT, 'README.md'), path.join(root, 'README.md'))
  cpSync(path.join(ROOT, 'docs'), path.join(root, 'docs'), { recursive: true })
  return root
}

const readme = () => readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const between = (text: string, marker: string) => text.split(`<!-- ${marker}:start -->\n`)[1].split(`\n<!-- ${marker}:end -->`)[0]

describe("the README's and docs' inputs and outputs tables", () => {
  it('are what `npm run docs` writes from the action.yml files', () => {
    expect(tables('--check')).toEqual({ code: 0, output: 'every table is what the action.yml files say\n' })
  })

  it("list every input and output of action.yml in the README, in its order, with action.yml's defaults", () => {
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>
      outputs: Record<string, unknown>
    }
    const names = (table: string) => [...table.matchAll(/^\| `([\w-]+)` \|/gm)].map((match) => match[1])
    expect(names(between(readme(), 'inputs'))).toEqual(Object.keys(action.inputs))
    expect(names(between(readme(), 'outputs'))).toEqual(Object.keys(action.outputs))
    expect(between(readme(), 'inputs')).toContain('| `driver` | ')
    expect(between(readme(), 'inputs')).toMatch(/^\| `driver` \| .* \| `local` \|$/m)
    // A default action.yml gives only in words moves to the default column.
    expect(between(readme(), 'inputs')).toMatch(
      /^\| `timeout` \| Bound in seconds on creating the nodes and forming the swarm \| 120 for `local`, 1200 for `aws` and docker-machine drivers \|$/m
    )
  })

  it('give the small actions their own tables, with a required column where an input is required', () => {
    const actions = readFileSync(path.join(ROOT, 'docs', 'actions.md'), 'utf8')
    for (const marker of ['diagnose/inputs', 'diagnose/outputs', 'destroy/inputs', 'sweep/inputs', 'sweep/outputs', 'build/inputs', 'build/outputs'])
      expect(actions).toContain(`<!-- ${marker}:start -->`)
    expect(between(actions, 'destroy/inputs')).toMatch(/^\| name \| description \| required \| default \|$/m)
    expect(between(actions, 'destroy/inputs')).toMatch(/^\| `name` \| .* \| yes \| {2}\|$/m)
    expect(between(actions, 'build/inputs')).toMatch(/^\| name \| description \| default \|$/m)
  })

  it('fail the check when a table differs from action.yml, naming the file and the table, and `npm run docs` mends it', () => {
    const root = copyOfDocs()
    try {
      const file = path.join(root, 'README.md')
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^\| `workers` \| .*$/m, '| `workers` | Number of worker nodes | `3` |'))
      const check = tables('--check', '--root', root)
      expect(check.code).toBe(1)
      expect(check.output).toContain('✗ README.md: inputs differ from the action.yml files; run `npm run docs`')
      expect(tables('--root', root)).toEqual({ code: 0, output: 'rewrote the tables of README.md\n' })
      expect(readFileSync(file, 'utf8')).toBe(readme())
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('fail the check when an input of action.yml is missing from its table, or the README has no table', () => {
    const root = copyOfDocs()
    try {
      const action = path.join(root, 'destroy', 'action.yml')
      writeFileSync(action, readFileSync(action, 'utf8').replace('inputs:\n', 'inputs:\n  new-input:\n    description: Something new\n'))
      const file = path.join(root, 'README.md')
      writeFileSync(file, readFileSync(file, 'utf8').replace(/<!-- outputs:start -->[\s\S]*<!-- outputs:end -->/, ''))
      const check = tables('--check', '--root', root)
      expect(check.code).toBe(1)
      expect(check.output).toContain('✗ docs/actions.md: destroy/inputs differ from the action.yml files')
      expect(check.output).toContain('✗ README.md: no <!-- outputs:start --> … <!-- outputs:end --> table')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
