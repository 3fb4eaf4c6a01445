import { describe, expect, it } from '@jest/globals'
import { DEFAULT_MACHINE_URL, DEFAULT_MACHINE_VERSION, parseInputs } from '../../src/inputs/index.js'

const parse = (values: Record<string, string> = {}, env: Record<string, string | undefined> = {}) => {
  const saved = { ...process.env }
  Object.assign(process.env, env)
  try {
    return parseInputs((name) => values[name] ?? '')
  } finally {
    process.env = saved
  }
}

describe('inputs', () => {
  it('defaults to a local swarm of one manager and one worker with a run-derived name', () => {
    const inputs = parse({}, { GITHUB_RUN_ID: '987', GITHUB_RUN_ATTEMPT: '2' })
    expect(inputs.driver).toBe('local')
    expect(inputs.name).toMatch(/^swarm-987-2-[0-9a-f]{4}$/)
    expect(inputs.nodes.map((node) => node.name)).toEqual([`${inputs.name}-manager-1`, `${inputs.name}-worker-1`])
    expect(inputs).toMatchObject({ cleanup: true, exportEnv: true, timeoutSeconds: 120, swarmInitOpts: [], tls: undefined })
    expect(inputs.machine).toEqual({
      version: DEFAULT_MACHINE_VERSION,
      url: DEFAULT_MACHINE_URL,
      sha256: '',
      driverOpts: [],
      concurrency: 2,
      retries: 1
    })
  })

  it('takes docker-machine releases of the GitLab fork and of upstream', () => {
    for (const version of ['v0.16.2-gitlab.59', '0.16.2-gitlab.19', 'v0.16.2', 'v0.17.0-rc.1'])
      expect(parse({ 'machine-version': version }).machine.version).toBe(version)
  })

  it('gives two steps of one run different default names', () => {
    const env = { GITHUB_RUN_ID: '1', GITHUB_RUN_ATTEMPT: '1' }
    const names = new Set(Array.from({ length: 20 }, () => parse({}, env).name))
    expect(names.size).toBeGreaterThan(15)
  })

  it('names managers first, then workers, after the cluster', () => {
    const inputs = parse({ name: 'ci', managers: '3', workers: '2' })
    expect(inputs.nodes.map((node) => `${node.name}:${node.role}`)).toEqual([
      'ci-manager-1:manager',
      'ci-manager-2:manager',
      'ci-manager-3:manager',
      'ci-worker-1:worker',
      'ci-worker-2:worker'
    ])
  })

  it('uses the docker-machine timeout default for other drivers', () => {
    expect(parse({ driver: 'virtualbox' }).timeoutSeconds).toBe(1200)
    expect(parse({ driver: 'virtualbox', timeout: '90' }).timeoutSeconds).toBe(90)
  })

  it('parses booleans strictly, never with truthiness', () => {
    expect(parse({ cleanup: 'false', 'export-env': 'False' })).toMatchObject({ cleanup: false, exportEnv: false })
    expect(parse({ cleanup: 'TRUE' }).cleanup).toBe(true)
    expect(() => parse({ cleanup: '0' })).toThrow('input `cleanup`: "0" is not a boolean; use true or false')
    expect(() => parse({ 'export-env': 'no' })).toThrow('input `export-env`')
  })

  it.each([
    [{ managers: '0' }, 'input `managers`: "0" is not a whole number from 1 to 250'],
    [{ managers: '1.5' }, 'input `managers`'],
    [{ workers: '-1' }, 'input `workers`: "-1" is not a whole number from 0 to 250'],
    [{ timeout: '0' }, 'input `timeout`'],
    [{ name: 'under_score' }, 'input `name`: "under_score" is not a cluster name; use letters, digits,'],
    [{ name: '.dot' }, 'input `name`'],
    [
      { name: 'x'.repeat(41) },
      'input `name`: "' +
        'x'.repeat(41) +
        "\" is not a cluster name; use letters, digits, '-' and '.', starting with a letter or digit, at most 40 characters"
    ],
    [{ driver: 'bad driver' }, 'input `driver`: "bad driver" is not a driver name'],
    [{ driver: '../evil' }, 'input `driver`'],
    [{ 'swarm-init-opts': "--x 'open" }, "input `swarm-init-opts`, line 1 (--x 'open): unterminated single quote"],
    [{ 'driver-opts': '--a\n--b "x' }, 'input `driver-opts`, line 2'],
    [{ 'machine-url': 'ftp://mirror' }, 'input `machine-url`'],
    [
      { 'machine-version': '../../../x' },
      'input `machine-version`: "../../../x" is not a docker-machine release such as v0.16.2-gitlab.59 or v0.16.2'
    ],
    [{ 'machine-version': 'v0.16.2/../x' }, 'input `machine-version`'],
    [{ 'machine-version': 'v0.16.2-gitlab.59/..' }, 'input `machine-version`'],
    [{ 'machine-sha256': 'abc' }, 'input `machine-sha256`'],
    [{ 'tls-ca-cert': '/ca.pem' }, 'missing: `tls-ca-key`, `tls-client-cert`, `tls-client-key`'],
    [{ 'driver-opts': '--virtualbox-memory 2048' }, 'the `local` driver takes none'],
    [{ retries: '11' }, 'input `retries`']
  ])('rejects %j', (values, message) => {
    expect(() => parse(values)).toThrow(message)
  })

  it('splits option lines like shell words without a shell', () => {
    const inputs = parse({ 'swarm-init-opts': '--default-addr-pool 10.20.0.0/16\n# a comment\n\n--availability "drain"  \n--label \'a b\'' })
    expect(inputs.swarmInitOpts).toEqual(['--default-addr-pool', '10.20.0.0/16', '--availability', 'drain', '--label', 'a b'])
  })

  it('reads a nodes list: roles, names, per-node opts after the role opts, managers first', () => {
    const inputs = parse({
      driver: 'generic',
      name: 'lab',
      'manager-opts': '--engine-label role=manager',
      nodes: [
        '- role: worker',
        '  opts: --generic-ip-address 10.0.0.12',
        '- role: manager',
        '  name: boss',
        '  opts: |',
        '    --generic-ip-address 10.0.0.11',
        '    --generic-ssh-user "ubuntu"'
      ].join('\n')
    })
    expect(inputs.nodes).toEqual([
      {
        name: 'boss',
        role: 'manager',
        createOpts: ['--engine-label', 'role=manager', '--generic-ip-address', '10.0.0.11', '--generic-ssh-user', 'ubuntu']
      },
      { name: 'lab-worker-1', role: 'worker', createOpts: ['--generic-ip-address', '10.0.0.12'] }
    ])
  })

  it.each([
    ['- role: worker', 'at least one node must have `role: manager`'],
    ['role: manager', 'expected a YAML list'],
    ['- role: boss', 'item 1: `role` must be manager or worker'],
    ['- role: manager\n  size: big', 'item 1: unknown key `size`'],
    ['- {role: manager, name: a}\n- {role: worker, name: a}', 'the name "a" is used twice'],
    ['- role: manager\n  name: "bad name"', 'is not a valid machine name'],
    ['- [unclosed', 'input `nodes`: not valid YAML'],
    ['- role: manager\n  opts: {url: "tcp://10.0.0.1:2376"}', 'item 1: `opts` must be create flags, one per line, as text or as a list of strings'],
    ['- role: manager\n  opts: [--url, {a: b}]', 'item 1: `opts` must be create flags'],
    ['- role: manager\n  name: {a: b}', 'item 1: `name` must be a machine name']
  ])('rejects the nodes list %j', (nodes, message) => {
    expect(() => parse({ driver: 'none', nodes })).toThrow(message)
  })
})
