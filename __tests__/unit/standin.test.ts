import { CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2'
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeEc2, type FakeEc2 } from '../fixtures/fake-ec2.js'

// The stand-in docker-machine run directly: no root, no Docker. What it mirrors of docker-machine 0.16.2
// is listed in its header; these check the behaviours the action and its tests rely on.

/** A machine's config.json: only the parts the tests read are typed. */
type MachineRecord = { Driver: Record<string, unknown>; HostOptions: Record<string, unknown>; [key: string]: unknown }
/** One line of FAKE_MACHINE_LOG. */
type CallLine = { argv: string[]; pid: number; startedAt: number; endedAt: number | null; exitCode: number | null; [key: string]: unknown }

const STAND_IN = fileURLToPath(new URL('../fixtures/docker-machine/docker-machine', import.meta.url))
const TMP = mkdtempSync(path.join(os.tmpdir(), 'standin-test-'))
afterAll(() => rmSync(TMP, { recursive: true, force: true }))

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

/** A fresh storage path and HOME, and an environment with nothing of the host's AWS_* or MACHINE_*. */
function sandbox() {
  const dir = mkdtempSync(path.join(TMP, 'case-'))
  const storage = path.join(dir, 'storage')
  const home = path.join(dir, 'home')
  mkdirSync(home)
  const baseEnv = { PATH: process.env.PATH ?? '', HOME: home, MACHINE_STORAGE_PATH: storage, MACHINE_BUGSNAG_API_TOKEN: 'no-report' }
  const machine = (args: string[], env: Record<string, string> = {}, binary = STAND_IN): Result => {
    const result = spawnSync(process.execPath, [binary, ...args], { env: { ...baseEnv, ...env }, encoding: 'utf8', input: '' })
    return { code: result.status, stdout: result.stdout, stderr: result.stderr }
  }
  const recordPath = (name: string) => path.join(storage, 'machines', name, 'config.json')
  const record = (name: string) => JSON.parse(readFileSync(recordPath(name), 'utf8')) as MachineRecord
  return { dir, storage, home, machine, recordPath, record }
}

describe('command line (codegangsta/cli, as 0.16.2 parses it)', () => {
  it('takes create flags before the name, and after it when the first argument is the name', () => {
    const { machine, record } = sandbox()
    expect(machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1']).code).toBe(0)
    expect(machine(['create', 'm2', '-d', 'none', '--url', 'tcp://10.0.0.2:2376']).code).toBe(0)
    expect(record('m2').Driver).toMatchObject({ URL: 'tcp://10.0.0.2:2376', IPAddress: '10.0.0.2:2376', MachineName: 'm2' })
  })

  it('after a positional, the rest are extra arguments', () => {
    const { machine, recordPath } = sandbox()
    const result = machine(['create', '-d', 'none', 'm1', '--url', 'tcp://10.0.0.1:2376'])
    expect(result).toMatchObject({ code: 1, stderr: 'Invalid command line. Found extra arguments [--url tcp://10.0.0.1:2376]\n' })
    expect(existsSync(recordPath('m1'))).toBe(false)
  })

  it('global flags only before the subcommand', () => {
    const { machine } = sandbox()
    const result = machine(['create', '--tls-ca-cert', '/ca.pem', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^Incorrect Usage\.\n/)
    expect(result.stderr).toBe('flag provided but not defined: -tls-ca-cert\n')
    // Outside create, main() only logs what the app returns: exit 0.
    expect(machine(['rm', '--tls-ca-cert', '/ca.pem', 'm1'])).toMatchObject({ code: 0, stderr: 'flag provided but not defined: -tls-ca-cert\n' })
  })

  it('an unknown command: the real text, exit 1; a real command it lacks says so', () => {
    const { machine } = sandbox()
    expect(machine(['frobnicate'])).toMatchObject({
      code: 1,
      stderr: `docker-machine: 'frobnicate' is not a docker-machine command. See '${STAND_IN} --help'.\n`
    })
    const ssh = machine(['ssh', 'm1'])
    expect(ssh.code).toBe(1)
    expect(ssh.stderr).toContain("'ssh' is a docker-machine command this stand-in does not emulate")
  })
})

describe('create and its record', () => {
  it('saves the record before the driver creates: a failed create leaves it, 0700 and 0600, 4-space JSON', () => {
    const { machine, recordPath, record } = sandbox()
    const result = machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'], { FAKE_MACHINE_FAIL_CREATE: 'm1' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('Running pre-create checks...\nCreating machine...\n')
    expect(result.stderr).toBe('Error creating machine: Error in driver during machine creation: injected failure for m1\n')
    expect(statSync(path.dirname(recordPath('m1'))).mode & 0o777).toBe(0o700)
    expect(statSync(recordPath('m1')).mode & 0o777).toBe(0o600)
    expect(readFileSync(recordPath('m1'), 'utf8')).toMatch(/^\{\n {4}"ConfigVersion": 3,\n {4}"Driver": \{\n {8}"IPAddress"/)
    expect(record('m1')).toMatchObject({ DriverName: 'none', Name: 'm1', HostOptions: { EngineOptions: { TlsVerify: true } } })
    expect(machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'])).toMatchObject({
      code: 1,
      stderr: 'Docker machine "m1" already exists\n'
    })
  })

  it('fails once only with FAKE_MACHINE_FAIL_ONCE_DIR', () => {
    const { dir, machine } = sandbox()
    const env = { FAKE_MACHINE_FAIL_CREATE: 'm1', FAKE_MACHINE_FAIL_ONCE_DIR: path.join(dir, 'once') }
    expect(machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'], env).code).toBe(1)
    expect(machine(['rm', '-y', 'm1']).code).toBe(0)
    expect(machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'], env).code).toBe(0)
  })

  it('a CA key without its certificate: the text of libmachine/cert/bootstrap.go, and no record', () => {
    const { storage, machine, recordPath } = sandbox()
    mkdirSync(path.join(storage, 'certs'), { recursive: true })
    writeFileSync(path.join(storage, 'certs', 'ca-key.pem'), 'key')
    const result = machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(`Creating CA: ${path.join(storage, 'certs', 'ca.pem')}\n`)
    expect(result.stderr).toBe('Error generating certificates: certificate authority key already exists\n')
    expect(existsSync(recordPath('m1'))).toBe(false)
  })

  it('inspect prints the record; the none driver reports Running', () => {
    const { machine, record } = sandbox()
    machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'])
    const inspect = machine(['inspect', 'm1'])
    expect(inspect.code).toBe(0)
    expect(JSON.parse(inspect.stdout)).toEqual(record('m1'))
    expect(machine(['ls', '-q', '--filter', 'state=Running']).stdout).toBe('m1\n')
  })
})

describe('rm and ls', () => {
  const create = (machine: ReturnType<typeof sandbox>['machine'], ...names: string[]) =>
    names.forEach((name) => expect(machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', name]).code).toBe(0))

  it('a driver Remove error: without -f the record stays and it exits 1; with -f it logs, drops the record, exits 0', () => {
    const { machine, recordPath } = sandbox()
    create(machine, 'm1')
    const env = { FAKE_MACHINE_FAIL_REMOVE: 'm1' }
    expect(machine(['rm', '-y', 'm1'], env)).toMatchObject({ code: 1, stderr: 'Error removing host "m1": injected removal failure for m1\n' })
    expect(existsSync(recordPath('m1'))).toBe(true)
    const forced = machine(['rm', '-f', '-y', 'm1'], env)
    expect(forced).toMatchObject({ code: 0, stderr: 'Error removing host "m1": injected removal failure for m1\n' })
    expect(forced.stdout).toContain('Successfully removed m1\n')
    expect(existsSync(recordPath('m1'))).toBe(false)
  })

  it('a machine that does not exist', () => {
    const { machine } = sandbox()
    const gone =
      'Error removing host "m9": Docker machine "m9" does not exist. Use "docker-machine ls" to list machines. Use "docker-machine create" to add a new one.'
    expect(machine(['rm', '-y', 'm9'])).toMatchObject({ code: 1, stderr: `${gone}\n` })
    expect(machine(['rm', '-f', '-y', 'm9'])).toMatchObject({ code: 0, stderr: `${gone}\nCan't remove "m9"\n` })
  })

  it('without -y or -f it asks, and removes nothing unless the answer starts with y', () => {
    const { machine, recordPath } = sandbox()
    create(machine, 'm1')
    expect(machine(['rm', 'm1']).stdout).toContain('Are you sure? (y/n): ')
    expect(existsSync(recordPath('m1'))).toBe(true)
  })

  it('ls -q --filter name= is a regexp on the machine name', () => {
    const { machine } = sandbox()
    create(machine, 'c1-manager-1', 'c1-worker-1', 'c10-manager-1')
    expect(machine(['ls', '-q', '--filter', 'name=^c1-'])).toEqual({ code: 0, stdout: 'c1-manager-1\nc1-worker-1\n', stderr: '' })
    expect(machine(['ls', '-q', '--filter', 'name=manager', '--filter', 'name=^c1-w']).stdout).toBe('c1-manager-1\nc1-worker-1\nc10-manager-1\n')
    expect(machine(['ls', '-q', '--filter', 'nome=x'])).toMatchObject({ code: 1, stderr: "Unsupported filter key 'nome'\n" })
  })
})

describe('stop, start and ip', () => {
  it('none: ip is the URL’s host:port; stop and start are refused by the driver, each machine’s error on a line, exit 1', () => {
    const { machine } = sandbox()
    for (const name of ['m1', 'm2']) expect(machine(['create', '-d', 'none', '--url', `tcp://10.0.0.1:2376`, name]).code).toBe(0)
    expect(machine(['ip', 'm1', 'm2'])).toEqual({ code: 0, stdout: '10.0.0.1:2376\n10.0.0.1:2376\n', stderr: '' })
    expect(machine(['stop', 'm1', 'm2'])).toEqual({
      code: 1,
      stdout: 'Stopping "m1"...\nStopping "m2"...\n',
      stderr: 'hosts without a driver cannot be stopped\nhosts without a driver cannot be stopped\n'
    })
    // Its state is always Running: start never reaches the driver.
    expect(machine(['start', 'm1'])).toMatchObject({ code: 1, stderr: 'Machine "m1" is already running.\n' })
    expect(machine(['stop', 'gone'])).toMatchObject({ code: 1, stderr: expect.stringContaining('Docker machine "gone" does not exist.') })
  })
})

describe('the call log', () => {
  it('one line per call: argv, env, the AWS_* names only, pid, start and end times, exit code', () => {
    const { dir, machine, storage } = sandbox()
    const log = path.join(dir, 'calls.log')
    machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'], {
      FAKE_MACHINE_LOG: log,
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_PROFILE: 'ci'
    })
    machine(['rm', '-y', 'm9'], { FAKE_MACHINE_LOG: log })
    const [create, rm] = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as CallLine)
    expect(create).toMatchObject({
      argv: ['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'],
      env: { MACHINE_STORAGE_PATH: storage, MACHINE_BUGSNAG_API_TOKEN: 'no-report' },
      awsEnv: ['AWS_PROFILE', 'AWS_SECRET_ACCESS_KEY'],
      exitCode: 0
    })
    expect(readFileSync(log, 'utf8')).not.toContain('secret"')
    expect(create.endedAt).toBeGreaterThanOrEqual(create.startedAt)
    expect(rm).toMatchObject({ argv: ['rm', '-y', 'm9'], exitCode: 1 })
    expect(rm.pid).not.toBe(create.pid)
  })

  it('a killed create keeps endedAt null, and its pid is gone', async () => {
    const { dir } = sandbox()
    const log = path.join(dir, 'calls.log')
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      MACHINE_STORAGE_PATH: path.join(dir, 's'),
      FAKE_MACHINE_LOG: log,
      FAKE_MACHINE_CREATE_DELAY_MS: '30000'
    }
    const child = spawn(process.execPath, [STAND_IN, 'create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'], { env, stdio: 'ignore' })
    for (let i = 0; i < 100 && !existsSync(path.join(dir, 's', 'machines', 'm1', 'config.json')); i++) await new Promise((r) => setTimeout(r, 50))
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    const call = JSON.parse(readFileSync(log, 'utf8')) as CallLine
    expect(call).toMatchObject({ pid: child.pid, endedAt: null, exitCode: null })
    expect(() => process.kill(call.pid, 0)).toThrow()
  })
})

describe('amazonec2', () => {
  const HOSTS = JSON.stringify({ e1: { publicIp: '203.0.113.10', privateIp: '10.1.0.10' }, e2: { publicIp: '203.0.113.11', privateIp: '10.1.0.11' } })
  const ENV_KEYS = { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_SESSION_TOKEN: 'env-token' }
  const sharedFile = (dir: string) => {
    const file = path.join(dir, 'credentials')
    writeFileSync(
      file,
      '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n\n[ci]\naws_access_key_id = AKIASHARED\naws_secret_access_key = s\n'
    )
    return file
  }

  it('credentials from the environment end up in the record, as the flags they are bound to', () => {
    const { machine, record } = sandbox()
    const result = machine(['create', '-d', 'amazonec2', '--amazonec2-region', 'eu-west-1', 'e1'], { ...ENV_KEYS, FAKE_MACHINE_EC2_HOSTS: HOSTS })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('(e1) Launching instance...\n')
    expect(record('e1')).toMatchObject({
      DriverName: 'amazonec2',
      Driver: {
        AccessKey: 'AKIAENVIRONMENT',
        SecretKey: 'env-secret',
        SessionToken: 'env-token',
        IPAddress: '203.0.113.10',
        PrivateIPAddress: '10.1.0.10',
        KeyName: 'e1',
        Region: 'eu-west-1',
        AMI: 'ami-0b541372',
        SecurityGroupNames: ['docker-machine'],
        SecurityGroupReadOnly: false,
        PrivateIPOnly: false,
        UsePrivateIP: false,
        Endpoint: '',
        Tags: ''
      }
    })
    expect(record('e1').Driver.InstanceId).toMatch(/^i-[0-9a-f]{17}$/)
    expect(record('e1').Driver.SecurityGroupIds).toEqual([expect.stringMatching(/^sg-/)])
  })

  it('credentials only in a shared credentials file (AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE): none reaches the record', () => {
    const { dir, machine, record } = sandbox()
    const env = { AWS_SHARED_CREDENTIALS_FILE: sharedFile(dir), AWS_PROFILE: 'ci', FAKE_MACHINE_EC2_HOSTS: HOSTS }
    expect(machine(['create', '-d', 'amazonec2', '--amazonec2-tags', 'cluster,c1', 'e1'], env).code).toBe(0)
    expect(record('e1').Driver).toMatchObject({ AccessKey: '', SecretKey: '', SessionToken: '', Region: 'us-east-1', Tags: 'cluster,c1' })
    // AWS_SESSION_TOKEN is bound to --amazonec2-session-token: set, it is stored even when the keys come from the file.
    expect(machine(['create', '-d', 'amazonec2', 'e2'], { ...env, AWS_SESSION_TOKEN: 'leaked' }).code).toBe(0)
    expect(record('e2').Driver.SessionToken).toBe('leaked')
  })

  it('with no credentials anywhere, create fails with the driver text and leaves no record', () => {
    const { machine, recordPath } = sandbox()
    const result = machine(['create', '-d', 'amazonec2', 'e1'], { FAKE_MACHINE_EC2_HOSTS: HOSTS })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'Error setting machine configuration from flags provided: amazonec2 driver requires AWS credentials configured with the --amazonec2-access-key and --amazonec2-secret-key options, environment variables, ~/.aws/credentials, or an instance role\n'
    )
    expect(existsSync(recordPath('e1'))).toBe(false)
  })

  it('--amazonec2-private-address-only: the machine address is the private one', () => {
    const { machine, record } = sandbox()
    expect(
      machine(['create', '-d', 'amazonec2', '--amazonec2-private-address-only', 'e1'], { ...ENV_KEYS, FAKE_MACHINE_EC2_HOSTS: HOSTS }).code
    ).toBe(0)
    expect(record('e1').Driver).toMatchObject({ IPAddress: '10.1.0.10', PrivateIPAddress: '10.1.0.10', PrivateIPOnly: true })
  })

  it('an unknown flag is refused as the Go flag package refuses it', () => {
    const { machine } = sandbox()
    const result = machine(['create', '-d', 'amazonec2', '--amazonec2-instance-size', 't3.small', 'e1'], ENV_KEYS)
    expect(result).toMatchObject({ code: 1, stderr: 'flag provided but not defined: -amazonec2-instance-size\n' })
    expect(result.stdout).toMatch(/^Incorrect Usage\./)
  })

  it('a region outside the driver table is refused, unless an endpoint is given (then the region is dropped)', () => {
    const { machine, record } = sandbox()
    const env = { ...ENV_KEYS, FAKE_MACHINE_EC2_HOSTS: HOSTS }
    expect(machine(['create', '-d', 'amazonec2', '--amazonec2-region', 'eu-south-1', 'e1'], env)).toMatchObject({
      code: 1,
      stderr: 'Error setting machine configuration from flags provided: Invalid region specified\n'
    })
    expect(machine(['create', '-d', 'amazonec2', 'e1'], { ...env, AWS_DEFAULT_REGION: 'mars-1' }).code).toBe(1)
    // With an endpoint, the invalid region becomes "", whose AMI lookup panics in the driver plugin unless --amazonec2-ami is given.
    const endpoint = ['--amazonec2-endpoint', 'http://127.0.0.1:9', '--amazonec2-region', 'eu-south-1']
    expect(machine(['create', '-d', 'amazonec2', ...endpoint, 'e1'], env).stderr).toBe(
      'Error setting machine configuration from flags provided: unexpected EOF\n'
    )
    expect(machine(['create', '-d', 'amazonec2', ...endpoint, '--amazonec2-ami', 'ami-1', 'e1'], env).code).toBe(0)
    expect(record('e1').Driver).toMatchObject({ Region: '', AMI: 'ami-1', Endpoint: 'http://127.0.0.1:9' })
    // The GitLab fork's table knows newer regions.
    expect(machine(['create', '-d', 'amazonec2', '--amazonec2-region', 'eu-south-1', 'e2'], { ...env, FAKE_MACHINE_GITLAB: '1' }).code).toBe(0)
  })

  it('AWS_SECURITY_GROUP alone does not count: a slice flag not on the command line keeps its default', () => {
    const { machine, record } = sandbox()
    const env = { ...ENV_KEYS, FAKE_MACHINE_EC2_HOSTS: HOSTS, AWS_SECURITY_GROUP: 'swarm' }
    expect(machine(['create', '-d', 'amazonec2', 'e1'], env).code).toBe(0)
    expect(record('e1').Driver.SecurityGroupNames).toEqual(['docker-machine'])
    expect(machine(['create', '-d', 'amazonec2', '--amazonec2-security-group', 'mine', 'e2'], env).code).toBe(0)
    expect(record('e2').Driver.SecurityGroupNames).toEqual(['swarm', 'mine'])
  })

  it('a name missing from FAKE_MACHINE_EC2_HOSTS fails in the driver, leaving a record without an instance', () => {
    const { machine, record } = sandbox()
    const result = machine(['create', '-d', 'amazonec2', 'e9'], { ...ENV_KEYS, FAKE_MACHINE_EC2_HOSTS: HOSTS })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^Error creating machine: Error in driver during machine creation: Error launching instance: /)
    expect(record('e9').Driver).toMatchObject({ InstanceId: '', KeyName: '' })
  })

  it('rm terminates with the stored or resolvable credentials: once they are gone or expired it fails, and -f drops the record', () => {
    const { dir, machine, recordPath } = sandbox()
    const file = sharedFile(dir)
    expect(machine(['create', '-d', 'amazonec2', 'e1'], { AWS_SHARED_CREDENTIALS_FILE: file, FAKE_MACHINE_EC2_HOSTS: HOSTS }).code).toBe(0)
    const expired = machine(['rm', '-y', 'e1'], { AWS_SHARED_CREDENTIALS_FILE: file, FAKE_MACHINE_EC2_EXPIRED_KEYS: 'AKIADEFAULT' })
    expect(expired.code).toBe(1)
    expect(expired.stderr).toMatch(
      /^Error removing host "e1": unable to terminate instance: RequestExpired: Request has expired\.\n\tstatus code: 400, request id: /
    )
    const noCredentials = machine(['rm', '-y', 'e1'])
    expect(noCredentials.code).toBe(1)
    expect(noCredentials.stderr).toContain('unable to terminate instance: NoCredentialProviders: no valid providers in chain.')
    expect(existsSync(recordPath('e1'))).toBe(true)
    expect(machine(['rm', '-f', '-y', 'e1']).code).toBe(0)
    expect(existsSync(recordPath('e1'))).toBe(false)
    // Stored keys resolve by themselves.
    expect(machine(['create', '-d', 'amazonec2', 'e2'], { ...ENV_KEYS, FAKE_MACHINE_EC2_HOSTS: HOSTS }).code).toBe(0)
    expect(machine(['rm', '-y', 'e2'])).toMatchObject({ code: 0 })
  })
})

describe('amazonec2 with FAKE_MACHINE_EC2_API=1: its calls reach the endpoint (a fake EC2)', () => {
  const KEYS = { accessKeyId: 'AKIAENVIRONMENT', secretAccessKey: 'env-secret', sessionToken: 'env-token' }
  const SHARED = { accessKeyId: 'AKIASHARED', secretAccessKey: 's' }
  const HOSTS = JSON.stringify({ e1: { publicIp: '203.0.113.10', privateIp: '10.1.0.10' } })
  let fake: FakeEc2
  /** The addresses EC2 describes, by machine name. */
  const described: Record<string, { publicIp: string; privateIp: string }> = {}
  beforeEach(async () => {
    fake = await startFakeEc2({ credentials: [KEYS, SHARED], bootMs: 10, shutdownMs: 10, hosts: described })
  })
  afterEach(() => fake.close())

  /** The stand-in, run without blocking this process: the fake EC2 answering it lives here. */
  function machine(box: ReturnType<typeof sandbox>, args: string[], env: Record<string, string>): Promise<Result> {
    const baseEnv = { PATH: process.env.PATH ?? '', HOME: box.home, MACHINE_STORAGE_PATH: box.storage, MACHINE_BUGSNAG_API_TOKEN: 'no-report' }
    const child = spawn(process.execPath, [STAND_IN, ...args], {
      env: { ...baseEnv, FAKE_MACHINE_EC2_API: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let [stdout, stderr] = ['', '']
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  }
  // The driver's own AMI (its 2018 table) is no image the fake knows, as on EC2 today.
  const flags = () => [
    ...['-d', 'amazonec2', '--amazonec2-region', 'eu-west-1', '--amazonec2-vpc-id', fake.vpcId],
    ...['--amazonec2-endpoint', fake.url, '--amazonec2-ami', 'ami-0noble0amd64new']
  ]
  const environment = {
    AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    AWS_SESSION_TOKEN: KEYS.sessionToken,
    FAKE_MACHINE_EC2_HOSTS: HOSTS
  }

  it('never without an endpoint: no call may reach AWS', async () => {
    const result = await machine(sandbox(), ['create', '-d', 'amazonec2', 'e1'], environment)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('FAKE_MACHINE_EC2_API needs --amazonec2-endpoint (no test may call AWS itself)')
    expect(fake.calls).toEqual([])
  })

  it('the fork: its own key pair, its default group created and opened to the world, the instance tagged at launch; rm terminates it and deletes the key pair', async () => {
    const box = sandbox()
    const env = { ...environment, FAKE_MACHINE_GITLAB: '1' }
    // With an endpoint the zone is taken as it is: `a` is no availability zone.
    const inZoneA = await machine(box, ['create', ...flags(), 'e1'], env)
    expect(inZoneA.stderr).toMatch(
      /Error launching instance: InvalidParameterValue: Invalid availability zone: \[a\]\n\tstatus code: 400, request id: /
    )
    const created = await machine(box, ['create', ...flags(), '--amazonec2-zone', 'eu-west-1a', '--amazonec2-tags', 'team,swarm', 'e2'], {
      ...env,
      FAKE_MACHINE_EC2_HOSTS: JSON.stringify({ e2: { publicIp: '203.0.113.11', privateIp: '10.1.0.11' } })
    })
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const [group] = fake.securityGroups()
    expect(group).toMatchObject({ GroupName: 'docker-machine', Description: 'Docker Machine', VpcId: fake.vpcId })
    expect(group.IpPermissions.map((p) => `${p.IpProtocol}/${p.FromPort} ${p.IpRanges.map((r) => r.CidrIp).join()}`)).toEqual([
      'tcp/22 0.0.0.0/0',
      'tcp/2376 0.0.0.0/0'
    ])
    const instance = fake.instances().find((candidate) => candidate.State !== 'terminated' && candidate.State !== 'shutting-down')!
    expect(instance).toMatchObject({
      KeyName: 'e2',
      SecurityGroupIds: [group.GroupId],
      AvailabilityZone: 'eu-west-1a',
      ImageId: 'ami-0noble0amd64new'
    })
    expect(instance.Tags).toEqual([
      { Key: 'Name', Value: 'e2' },
      { Key: 'team', Value: 'swarm' }
    ])
    expect(box.record('e2').Driver).toMatchObject({ InstanceId: instance.InstanceId, SecurityGroupIds: [group.GroupId], KeyName: 'e2' })
    expect(new Set(fake.calls.map((call) => `${call.accessKeyId} ${call.userAgent.split(' ')[0]}`))).toEqual(
      new Set(['AKIAENVIRONMENT aws-sdk-go/1.36.21'])
    )
    expect((await machine(box, ['rm', '-y', 'e2'], env)).code).toBe(0)
    expect(fake.instances().find((candidate) => candidate.InstanceId === instance.InstanceId)!.State).toMatch(/shutting-down|terminated/)
    expect(
      fake
        .keyPairs()
        .filter((pair) => pair.KeyName === 'e2')
        .map((pair) => Boolean(pair.deletedAt))
    ).toEqual([true])
    // Security groups stay, as docker-machine never deletes them.
    expect(group.deletedAt).toBeUndefined()
  })

  it('stop: StopInstances, then Stopped (no public address); again: already stopped; start: StartInstances, Running, the engine listening', async () => {
    const box = sandbox()
    const engine = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => engine.once('listening', resolve))
    described.e1 = { publicIp: '127.0.0.1', privateIp: '10.1.0.10' }
    const env = { ...environment, FAKE_MACHINE_EC2_HOSTS: JSON.stringify(described) }
    try {
      const flagsHere = [...flags(), '--amazonec2-zone', 'eu-west-1a']
      expect((await machine(box, ['create', ...flagsHere, 'e1'], env)).code).toBe(0)
      // The record's address is the engine the stand-in waits for: the port of this test's listener.
      const recorded = box.record('e1')
      writeFileSync(
        box.recordPath('e1'),
        JSON.stringify({ ...recorded, Driver: { ...recorded.Driver, URL: `tcp://127.0.0.1:${(engine.address() as AddressInfo).port}` } })
      )
      const before = fake.calls.length
      const stopped = await machine(box, ['stop', 'e1'], env)
      expect(stopped).toEqual({ code: 0, stdout: 'Stopping "e1"...\nMachine "e1" was stopped.\n', stderr: '' })
      expect(fake.instances()[0].State).toBe('stopped')
      expect(fake.calls.slice(before).map((call) => call.action)).toContain('StopInstances')
      expect(await machine(box, ['ls', '-q', '--filter', 'state=Stopped'], env)).toMatchObject({ code: 0, stdout: 'e1\n' })
      expect(await machine(box, ['ip', 'e1'], env)).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('Error getting IP address: No IP for instance i-')
      })
      expect(await machine(box, ['stop', 'e1'], env)).toMatchObject({ code: 1, stderr: 'Machine "e1" is already stopped.\n' })
      const started = await machine(box, ['start', 'e1'], env)
      expect(started.stderr).toBe('')
      expect(started.stdout).toBe(
        'Starting "e1"...\nMachine "e1" was started.\nStarted machines may have new IP addresses. You may need to re-run the `docker-machine env` command.\n'
      )
      expect(fake.instances()[0].State).toBe('running')
      expect(await machine(box, ['ip', 'e1'], env)).toEqual({ code: 0, stdout: '127.0.0.1\n', stderr: '' })
    } finally {
      engine.close()
    }
  }, 60_000)

  it('upstream: a read-only group is only looked up, the instance is tagged once it runs; credentials from the shared file sign the calls', async () => {
    const box = sandbox()
    const credentials = path.join(box.dir, 'credentials')
    writeFileSync(credentials, `[default]\naws_access_key_id = ${SHARED.accessKeyId}\naws_secret_access_key = ${SHARED.secretAccessKey}\n`)
    const client = new EC2Client({ region: 'eu-west-1', endpoint: fake.url, credentials: KEYS, maxAttempts: 1 })
    const { GroupId: groupId } = await client.send(new CreateSecurityGroupCommand({ GroupName: 'mine', Description: 'mine', VpcId: fake.vpcId }))
    client.destroy()
    const before = fake.calls.length
    const readOnly = ['--amazonec2-security-group', 'mine', '--amazonec2-security-group-readonly']
    const created = await machine(box, ['create', ...flags(), '--amazonec2-zone', 'eu-west-1b', ...readOnly, 'e1'], {
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      FAKE_MACHINE_EC2_HOSTS: HOSTS,
      FAKE_MACHINE_EC2_BOOT_MS: '100'
    })
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const calls = fake.calls.slice(before)
    expect(calls.map((call) => call.action)).toEqual(['ImportKeyPair', 'DescribeSecurityGroups', 'RunInstances', 'CreateTags'])
    expect(Object.keys(calls[2].params).filter((key) => key.startsWith('TagSpecification'))).toEqual([])
    expect(calls[3].at - calls[2].at).toBeGreaterThanOrEqual(100)
    expect(fake.instances()[0]).toMatchObject({ SecurityGroupIds: [groupId], Tags: [{ Key: 'Name', Value: 'e1' }], AvailabilityZone: 'eu-west-1b' })
    expect(fake.securityGroups().find((group) => group.GroupId === groupId)!.IpPermissions).toEqual([])
    expect(new Set(calls.map((call) => `${call.accessKeyId} ${call.userAgent.split(' ')[0]} ${call.error ?? 'ok'}`))).toEqual(
      new Set(['AKIASHARED aws-sdk-go/1.4.10 ok'])
    )
  })
})

describe('module systems', () => {
  it('runs as CommonJS and as an ES module wherever it is copied', () => {
    for (const type of ['commonjs', 'module']) {
      const dir = mkdtempSync(path.join(TMP, `${type}-`))
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type }))
      copyFileSync(STAND_IN, path.join(dir, 'docker-machine'))
      const { machine } = sandbox()
      expect(machine(['create', '-d', 'none', '--url', 'tcp://10.0.0.1:2376', 'm1'], {}, path.join(dir, 'docker-machine')).code).toBe(0)
    }
  })
})
