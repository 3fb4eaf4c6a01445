export const id = 434;
export const ids = [434];
export const modules = {

/***/ 36434:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  awsDriver: () => (/* binding */ awsDriver),
  withShebang: () => (/* binding */ withShebang)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/tools/command.ts
var command = __webpack_require__(58974);
// EXTERNAL MODULE: ./src/drivers/ec2/ami.ts
var ami = __webpack_require__(56835);
// EXTERNAL MODULE: ./src/drivers/ec2/cluster.ts + 5 modules
var ec2_cluster = __webpack_require__(77741);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var dist_cjs = __webpack_require__(35193);
// EXTERNAL MODULE: ./src/drivers/ec2/errors.ts
var errors = __webpack_require__(73947);
// EXTERNAL MODULE: ./src/drivers/ec2/retry.ts
var retry = __webpack_require__(68516);
// EXTERNAL MODULE: ./src/drivers/ec2/instances.ts
var instances = __webpack_require__(49534);
// EXTERNAL MODULE: ./src/drivers/ec2/tags.ts
var tags = __webpack_require__(69869);
// EXTERNAL MODULE: ./src/tools/wait.ts
var wait = __webpack_require__(15874);
;// CONCATENATED MODULE: ./src/drivers/aws/launch.ts






/** Groups the nodes by role and options, in the nodes' order. */
function launchGroups(options) {
    const groups = new Map();
    for (const [node, option] of options) {
        const key = JSON.stringify([node.role, option]);
        const group = groups.get(key) ?? { nodes: [], options: option };
        group.nodes.push(node);
        groups.set(key, group);
    }
    return [...groups.values()];
}
/** EC2's codes for a launch it cannot place now: another type or zone may well work. */
const NO_CAPACITY = ['InsufficientInstanceCapacity', 'InsufficientHostCapacity', 'Unsupported', 'InsufficientCapacity'];
function runInstancesInput(cluster, group, image, userData) {
    const { options } = group;
    const name = `${cluster.labels.cluster}-${group.nodes[0].role}`;
    return {
        ImageId: image.imageId,
        InstanceType: options.instanceType,
        MinCount: group.nodes.length,
        MaxCount: group.nodes.length,
        KeyName: cluster.keyName,
        NetworkInterfaces: [
            {
                DeviceIndex: 0,
                Groups: [cluster.groupId],
                AssociatePublicIpAddress: !options.privateAddressOnly,
                ...(options.subnetId ? { SubnetId: options.subnetId } : {})
            }
        ],
        UserData: Buffer.from(userData).toString('base64'),
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
        BlockDeviceMappings: [
            { DeviceName: image.rootDeviceName, Ebs: { Encrypted: true, VolumeSize: options.rootSize, VolumeType: 'gp3', DeleteOnTermination: true } }
        ],
        ...(options.iamInstanceProfile
            ? {
                IamInstanceProfile: options.iamInstanceProfile.startsWith('arn:')
                    ? { Arn: options.iamInstanceProfile }
                    : { Name: options.iamInstanceProfile }
            }
            : {}),
        ...(options.spot
            ? { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' } } }
            : {}),
        TagSpecifications: (0,tags/* tagSpecifications */.v7)(cluster.labels, name, 'instance', 'volume', ...(options.spot ? ['spot-instances-request'] : []))
    };
}
/** Starts a group's instances in one call and names each after its node; returns them in the nodes' order. */
async function launchGroup(cluster, group, image, userData, deadline) {
    let instances;
    try {
        const answer = await cluster.client.send(new dist_cjs/* RunInstancesCommand */.zq7(runInstancesInput(cluster, group, image, userData)));
        instances = [...(answer.Instances ?? [])].sort((a, b) => (a.AmiLaunchIndex ?? 0) - (b.AmiLaunchIndex ?? 0));
    }
    catch (error) {
        (0,errors/* throwIfCredentials */.GL)(error, `launching ${group.nodes.map((node) => node.name).join(', ')}`);
        const what = `${group.nodes.length} ${group.options.instanceType} instance(s) for ${group.nodes.map((node) => node.name).join(', ')}`;
        if ((0,errors/* hasCode */.up)(error, ...NO_CAPACITY)) {
            throw new Error(`EC2 cannot start ${what} now (${(0,errors/* describeError */.Uc)(error)}): give another instance type (--instance-type, e.g. t3a.small or m6i.large) or a subnet in another availability zone (--subnet-id with --vpc-id)`, { cause: error });
        }
        throw new Error(`launching ${what} failed: ${(0,errors/* describeError */.Uc)(error)}`, { cause: error });
    }
    if (instances.length !== group.nodes.length)
        throw new Error(`EC2 started ${instances.length} of ${group.nodes.length} instances`);
    // EC2 is eventually consistent: an instance just launched may not be known to CreateTags yet.
    const pace = { deadline, intervalMs: 1000 };
    await Promise.all(instances.map((instance, i) => (0,retry/* retryWhile */.i)((error) => (0,errors/* hasCode */.up)(error, 'InvalidInstanceID.NotFound'), pace, () => cluster.client.send(new dist_cjs/* CreateTagsCommand */.RmG({ Resources: [instance.InstanceId], Tags: [{ Key: 'Name', Value: group.nodes[i].name }] })))));
    return instances;
}
const RUNNING_POLL_MS = 2000;
/** Waits until the instance runs with its addresses; fails at once when it ends instead. */
async function waitRunning(cluster, instanceId, deadline, node) {
    let instance;
    await (0,wait/* pollUntil */.g3)(deadline, `${node}'s instance ${instanceId} to run`, async () => {
        ;
        [instance] = await (0,instances/* describeInstances */.cf)(cluster.client, [{ Name: 'instance-id', Values: [instanceId] }]);
        const state = instance?.State?.Name;
        if (state === 'shutting-down' || state === 'terminated' || state === 'stopped') {
            throw new wait/* GiveUp */.l0(`${node}'s instance ${instanceId} is ${state}: ${instance?.StateReason?.Message ?? 'EC2 gave no reason'}`);
        }
        return state === 'running' && Boolean(instance?.PrivateIpAddress);
    }, { intervalMs: RUNNING_POLL_MS, progressEveryMs: 30_000 });
    return instance;
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/engine/api.ts
var api = __webpack_require__(76750);
// EXTERNAL MODULE: ./src/engine/tls.ts
var tls = __webpack_require__(21907);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
;// CONCATENATED MODULE: ./src/drivers/aws/host-keys.ts





// An instance's SSH host keys, read from its console output (GetConsoleOutput) and never trusted
// on first use: the console is written by the instance itself and read only with the cluster's AWS
// credentials, so a key found there is the host's own. The user data prints them at its start, as
// cloud-init's keys-to-console does once every user script has run.
const BEGIN = '-----BEGIN SSH HOST KEY KEYS-----';
const END = '-----END SSH HOST KEY KEYS-----';
/**
 * What may stand before a line on the console: nothing (cloud-init's keys block), the journal's
 * `[   12.345678] cloud-init[1234]: ` (a user script's output), syslog's `<14>Dec  6 07:46:22 cloud-init: `
 * (cloud-init's fingerprints) or `ec2: ` (older cloud-init). A line with any other prefix is not a key line.
 */
const PREFIX = /^(?:ec2: |\[ *\d+\.\d+\] cloud-init\[\d+\]: |<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d cloud-init: )?/;
/** `<type> <base64>`: the comment (root@host) is left out. */
const KEY_LINE = /^(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) (AAAA[0-9A-Za-z+/]+={0,3})(?: .*)?$/;
const CONSOLE_POLL_MS = 2000;
/** EC2's answer to `Latest` for an instance type that is not built on Nitro. */
const LATEST_UNSUPPORTED = ['UnsupportedOperation', 'InvalidParameterValue', 'InvalidParameterCombination'];
/** A key blob names its own type first (RFC 4253 §6.6): a line cut short or mixed with other output does not. */
function wellFormed(type, base64) {
    const blob = Buffer.from(base64, 'base64');
    if (blob.length < 4)
        return false;
    const length = blob.readUInt32BE(0);
    return length === type.length && blob.subarray(4, 4 + length).toString('latin1') === type;
}
/**
 * The host keys of the console text's first complete block, or none. The user data prints its block
 * first thing, before any output of a program that could print one; cloud-init's comes last.
 */
function hostKeysFromConsole(text) {
    let block;
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(PREFIX, '').trim();
        if (line === BEGIN)
            block = [];
        else if (line === END && block) {
            if (block.length)
                return block;
            block = undefined;
        }
        else if (block) {
            const match = KEY_LINE.exec(line);
            if (match && wellFormed(match[1], match[2]))
                block.push(`${match[1]} ${match[2]}`);
            else
                block = undefined; // a block with a line that is no key is not the host's list
        }
    }
    return [];
}
/** Waits, bounded by `deadline`, until the instance's console shows its host keys. */
async function waitForHostKeys(client, instanceId, deadline, node) {
    let keys = [];
    // Only Nitro instances have the console as it is now; others post it after boot, which takes longer.
    let latest = true;
    await (0,wait/* pollUntil */.g3)(deadline, `${node}'s SSH host keys on its console (${instanceId})`, async () => {
        const answer = await client
            .send(new dist_cjs/* GetConsoleOutputCommand */.Olx({ InstanceId: instanceId, ...(latest ? { Latest: true } : {}) }))
            .catch((error) => {
            if (!latest || !(0,errors/* hasCode */.up)(error, ...LATEST_UNSUPPORTED))
                throw error;
            latest = false;
            core/* info */.pq(`${node}: its instance type gives no live console (it is not built on Nitro); waiting for the console EC2 posts after boot, which takes minutes: a Nitro type such as t3.small is faster`);
            return undefined;
        });
        keys = hostKeysFromConsole(Buffer.from(answer?.Output ?? '', 'base64').toString('utf8'));
        return keys.length > 0;
    }, { intervalMs: CONSOLE_POLL_MS, progressEveryMs: 30_000 });
    return keys;
}
/** A known_hosts file that holds exactly these keys for `address`: ssh then refuses any other host. */
async function writeKnownHosts(file, address, keys) {
    await (0,promises_.writeFile)(file, keys.map((key) => `${address} ${key}\n`).join(''), { mode: 0o600 });
}

;// CONCATENATED MODULE: ./src/drivers/aws/provision.ts


/** ssh's own exit code for a connection that failed (refused, timed out, host key mismatch). */
const SSH_FAILED = 255;
/** Not a host that is still booting: one whose key is not the one its console showed. */
const HOST_KEY_REFUSED = /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/;
const RETRY_MS = 2000;
const CONNECT_TIMEOUT_S = 10;
/** `ssh` as the action runs it: no user or system config, no agent, no prompt, only the given host key. */
function sshArgs(target, command) {
    return [
        ...['-F', '/dev/null', '-i', target.keyPath, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none', '-o', 'BatchMode=yes'],
        ...['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${target.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null'],
        ...['-o', `ConnectTimeout=${CONNECT_TIMEOUT_S}`, '-o', 'ServerAliveInterval=15', '-o', 'LogLevel=ERROR'],
        `${target.user}@${target.address}`,
        '--',
        ...command
    ];
}
/**
 * The script the node's root runs: the TLS files written 0600 in a 0700 dir, a bounded wait for the
 * user data's mark, the engine restarted. The key is in the script's text, which only standard input carries.
 */
function provisionScript(files, waitSeconds) {
    const file = (name, content) => `cat >/etc/docker/tls/${name} <<'PEM'\n${content.trim()}\nPEM\n`;
    return [
        'set -euo pipefail',
        'umask 077',
        'install -d -m 0700 /etc/docker/tls',
        file('ca.pem', files.ca),
        file('server-cert.pem', files.server.cert),
        file('server-key.pem', files.server.key),
        'marks=/var/lib/setup-swarm',
        `for _ in $(seq ${Math.max(1, Math.floor(waitSeconds))}); do`,
        '  [ -e "$marks/docker-installed" ] || [ -e "$marks/failed" ] && break',
        '  sleep 1',
        'done',
        'if [ ! -e "$marks/docker-installed" ]; then',
        '  echo "the user data did not install Docker$([ -e "$marks/failed" ] && echo ": it failed" || echo " in time"); the end of /var/log/cloud-init-output.log:" >&2',
        '  tail -n 20 /var/log/cloud-init-output.log >&2 || true',
        '  exit 3',
        'fi',
        'systemctl enable docker >/dev/null 2>&1 || true',
        // Restarts tried before the files were here (an apt upgrade) may have hit systemd's start limit.
        'systemctl reset-failed docker.service >/dev/null 2>&1 || true',
        'systemctl restart docker',
        ''
    ].join('\n');
}
/**
 * Runs the provisioning script on the node as root (`sudo`), connecting again while sshd is not up
 * yet, until `deadline`. Throws with what the node said.
 */
async function provisionOverSsh(target, script, deadline, node) {
    let last;
    while (!deadline.expired()) {
        last = await (0,command/* run */.eF)('ssh', sshArgs(target, ['sudo', '-n', 'bash', '-s']), {
            input: script,
            timeoutMs: Math.max(1000, deadline.remainingMs()),
            allowFailure: true
        });
        if (last.code === 0)
            return;
        if (last.code !== SSH_FAILED || HOST_KEY_REFUSED.test(last.stderr))
            break;
        await (0,wait/* sleep */.yy)(Math.min(RETRY_MS, deadline.remainingMs()));
    }
    const said = (last?.stderr.trim() || last?.stdout.trim() || 'no answer').split('\n').slice(-8).join('\n');
    const hint = HOST_KEY_REFUSED.test(last?.stderr ?? '')
        ? `the host at ${target.address} showed another SSH host key than the instance's console: the connection was refused, as it is not the instance`
        : last?.code === SSH_FAILED
            ? `SSH to ${target.user}@${target.address} failed until the deadline: check that \`allowed-cidrs\` lets the runner reach port 22, and --ssh-user for a non-Ubuntu AMI`
            : `its user data or the engine's restart failed: its output is on the instance's console (\`aws ec2 get-console-output --latest --instance-id ${target.instanceId}\`) and in /var/log/cloud-init-output.log`;
    throw new Error(`${node}: provisioning over SSH failed (${said}); ${hint}`);
}

;// CONCATENATED MODULE: ./src/drivers/aws/node.ts








async function provisionNode(work, launched) {
    const { node, options, cluster, deadline } = work;
    const authority = work.tls.authority;
    if (!authority)
        throw new Error('driver `aws`: the run has no CA to issue the nodes’ certificates with');
    const phases = [];
    const mark = (what) => phases.push([what, (Date.now() - work.startedAt) / 1000]);
    mark('launched');
    work.onPhase('booting');
    const instance = await waitRunning(cluster, launched.InstanceId, deadline, node.name);
    const privateIp = instance.PrivateIpAddress;
    const ip = options.privateAddressOnly ? privateIp : instance.PublicIpAddress;
    if (!ip) {
        throw new Error(`${node.name}'s instance ${instance.InstanceId} has no public address: its subnet gives none; give a subnet that does (--subnet-id), or --private-address-only on a runner inside the VPC`);
    }
    mark('running');
    work.onPhase('waiting for its host keys');
    const keys = await waitForHostKeys(cluster.client, instance.InstanceId, deadline, node.name);
    const knownHosts = external_node_path_default().join(external_node_path_default().dirname(cluster.keyPath), `known_hosts-${node.name}`);
    await writeKnownHosts(knownHosts, ip, keys);
    mark('host keys');
    work.onPhase('provisioning over SSH');
    const server = await (0,tls/* issueCertificate */.D8)(authority, node.name, 'server', { ips: [...new Set([ip, privateIp])], dnsNames: [node.name] });
    const target = { instanceId: instance.InstanceId, address: ip, user: options.sshUser, keyPath: cluster.keyPath, knownHosts };
    await provisionOverSsh(target, provisionScript({ ca: authority.cert, server }, deadline.remainingMs() / 1000), deadline, node.name);
    mark('provisioned');
    work.onPhase('waiting for its engine');
    const dockerHost = `tcp://${ip}:${api/* ENGINE_PORT */.Xg}`;
    const engine = new api/* Engine */.N$(dockerHost, await (0,tls/* readClientTls */.Z$)(work.tls.client));
    try {
        await (0,wait/* pollUntil */.g3)(deadline, `${node.name}'s engine at ${dockerHost}`, () => engine.ping(2000), { intervalMs: 500 });
    }
    finally {
        engine.close();
    }
    mark('engine answers');
    core/* info */.pq(`${node.name} (${instance.InstanceId}, ${ip}): ${phases.map(([what, seconds]) => `${what} ${seconds.toFixed(1)} s`).join(', ')}`);
    return { node: { name: node.name, role: node.role, ip, advertiseIp: privateIp, dockerHost }, instanceId: instance.InstanceId, phases };
}

;// CONCATENATED MODULE: ./src/drivers/aws/options.ts
const DEFAULTS = { instanceType: 't3.small', rootSize: 16, sshUser: 'ubuntu' };
const OPTIONS = {
    '--instance-type': { kind: 'value', apply: (o, v, where) => (o.instanceType = matching(v, /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, where, 't3.small')) },
    '--ami': { kind: 'value', apply: (o, v, where) => (o.ami = matching(v, /^ami-[0-9a-f]{8,17}$/, where, 'ami-0123456789abcdef0')) },
    '--vpc-id': { kind: 'value', apply: (o, v, where) => (o.vpcId = matching(v, /^vpc-[0-9a-f]{8,17}$/, where, 'vpc-0123456789abcdef0')) },
    '--subnet-id': { kind: 'value', apply: (o, v, where) => (o.subnetId = matching(v, /^subnet-[0-9a-f]{8,17}$/, where, 'subnet-0123456789abcdef0')) },
    '--root-size': { kind: 'value', apply: (o, v, where) => (o.rootSize = gibibytes(v, where)) },
    '--spot': { kind: 'switch', apply: (o) => (o.spot = true) },
    '--iam-instance-profile': {
        kind: 'value',
        apply: (o, v, where) => (o.iamInstanceProfile = matching(v, /^([\w+=,.@-]{1,128}|arn:aws[\w-]*:iam::\d{12}:instance-profile\/[\w+=,.@/-]+)$/, where, 'swarm-nodes'))
    },
    '--private-address-only': { kind: 'switch', apply: (o) => (o.privateAddressOnly = true) },
    '--ssh-user': { kind: 'value', apply: (o, v, where) => (o.sshUser = matching(v, /^[a-z_][a-z0-9_-]{0,31}$/, where, 'ubuntu')) }
};
const OPTION_NAMES = Object.keys(OPTIONS);
function matching(value, shape, where, example) {
    if (!shape.test(value))
        throw new Error(`${where}: "${value}" is not valid here, expected something like ${example}`);
    return value;
}
function gibibytes(value, where) {
    const size = Number(value);
    if (!/^\d+$/.test(value) || size < 8 || size > 16384)
        throw new Error(`${where}: "${value}" is not a size in GiB from 8 to 16384`);
    return size;
}
/** One node's options: `driver-opts` first, then its role's and its own (`createOpts`); a later one wins. */
function parseInstanceOptions(words, input) {
    const options = { ...DEFAULTS, spot: false, privateAddressOnly: false };
    for (let index = 0; index < words.length; index++) {
        const [flag, inline] = words[index].split(/=(.*)/s, 2);
        const option = OPTIONS[flag];
        if (!option) {
            throw new Error(`input \`${input}\`: unknown option "${words[index]}" of driver \`aws\`; its options are ${OPTION_NAMES.join(', ')} (docker-machine's --amazonec2-* flags are for driver \`amazonec2\`)`);
        }
        const where = `input \`${input}\`, option ${flag}`;
        if (option.kind === 'switch') {
            if (inline !== undefined)
                throw new Error(`${where}: takes no value`);
            option.apply(options, '', where);
            continue;
        }
        const value = inline ?? words[++index];
        if (value === undefined || value.startsWith('--'))
            throw new Error(`${where}: needs a value`);
        option.apply(options, value, where);
    }
    if (Boolean(options.vpcId) !== Boolean(options.subnetId)) {
        throw new Error(`input \`${input}\`: --vpc-id and --subnet-id go together (the subnet the instances start in, and its VPC, where the cluster's security group is made); give both, or neither for the default VPC`);
    }
    return options;
}
/** Each node's options, checked before anything is created; the inputs name where a bad one came from. */
function nodeOptions(inputs) {
    // A node's createOpts hold its role's opts and its own, so an error names every input they come from.
    const input = (node) => (node.createOpts.length ? `driver-opts\`/\`${node.role}-opts\`/\`nodes` : 'driver-opts');
    return new Map(inputs.nodes.map((node) => [node, parseInstanceOptions([...inputs.machine.driverOpts, ...node.createOpts], input(node))]));
}
/** Every node must be in one VPC: the cluster has one security group. */
function clusterVpc(options) {
    const vpcs = [...new Set(options.map((option) => option.vpcId))];
    if (vpcs.length > 1) {
        throw new Error(`inputs \`driver-opts\`/\`*-opts\`/\`nodes\`: the nodes name ${vpcs.map((vpc) => vpc ?? 'the default VPC').join(' and ')}; a cluster lives in one VPC, give every node the same --vpc-id`);
    }
    return vpcs[0];
}

;// CONCATENATED MODULE: ./src/drivers/aws/index.ts








/**
 * Read once: the same script for every node (it holds no secret and nothing of the node's). The
 * bundler copies it beside dist's code but drops its `#!` line, without which cloud-init would not
 * run it as a script: put back where missing.
 */
const USER_DATA = withShebang((0,external_node_fs_.readFileSync)(new URL(/* asset import */ __webpack_require__(62539), __webpack_require__.b), 'utf8'));
function withShebang(script) {
    return script.startsWith('#!') ? script : `#!/bin/bash\n${script}`;
}
const PROGRESS_EVERY_MS = 15_000;
/** From prepare to create: the EC2 client and the options, never saved. */
const prepared = new WeakMap();
function checkedOptions(inputs) {
    const options = nodeOptions(inputs);
    clusterVpc([...options.values()]);
    return options;
}
const awsDriver = {
    async preflight(inputs) {
        checkedOptions(inputs);
        (0,ec2_cluster.preflightEc2Cluster)(inputs);
        const ssh = await (0,command/* run */.eF)('ssh', ['-V'], { allowFailure: true, timeoutMs: 10_000 }).catch(() => ({ code: 127 }));
        if (ssh.code !== 0) {
            throw new Error('driver `aws` hands each node its certificate over SSH and the runner has no `ssh`: install openssh-client in an earlier step');
        }
    },
    async prepare(context) {
        const { inputs, state } = context;
        const awsState = {};
        state.driverState = awsState;
        context.saveState();
        const options = checkedOptions(inputs);
        const record = (ec2) => {
            awsState.ec2 = ec2;
            context.saveState();
        };
        const cluster = await (0,ec2_cluster.createEc2Cluster)(inputs, state.dir, { vpcId: clusterVpc([...options.values()]), deadline: context.deadline, record });
        prepared.set(state, { cluster, options, amis: await resolveAmis(cluster, [...options.values()]) });
    },
    async create(nodes, context) {
        const ready = prepared.get(context.state);
        if (!ready)
            throw new Error('driver `aws`: create ran before prepare');
        const startedAt = Date.now();
        const phases = new Map(nodes.map((node) => [node.name, 'launching']));
        const progress = setInterval(() => {
            const waiting = [...phases].map(([name, phase]) => `${name} (${phase})`);
            if (waiting.length)
                core/* info */.pq(`still creating: ${waiting.join(', ')}`);
        }, PROGRESS_EVERY_MS);
        const groups = launchGroups(new Map(nodes.map((node) => [node, ready.options.get(node)])));
        try {
            const launches = groups.map(async (group) => {
                const instances = await launchGroup(ready.cluster, group, ready.amis.get(group.options), USER_DATA, context.deadline);
                return createGroupNodes(group, instances, ready, context, startedAt, phases);
            });
            const made = everyOrThrow(await Promise.allSettled(launches)).flat();
            await summarizePhases(made);
            return nodes.map((node) => made.find((candidate) => candidate.node.name === node.name).node);
        }
        finally {
            clearInterval(progress);
        }
    },
    async remove(state) {
        return state.driverState?.ec2 ? (0,ec2_cluster.removeEc2)(state.name, state.driverState.ec2) : [];
    },
    async findKept(lookup) {
        const first = checkedOptions(lookup.inputs).values().next().value;
        return (0,ec2_cluster.findKeptEc2)(lookup.inputs, lookup.owner.repository, first?.privateAddressOnly ?? false);
    },
    async renewKept(inputs) {
        await (0,ec2_cluster.renewKeptEc2)(inputs);
    },
    async destroyKept(request) {
        return (0,ec2_cluster.destroyKeptEc2)(request.name, request.driver, request.awsRegion, request.owner.repository);
    }
};
async function createGroupNodes(group, instances, ready, context, startedAt, phases) {
    const provisioning = group.nodes.map(async (node, i) => {
        const made = await provisionNode({
            node,
            options: group.options,
            cluster: ready.cluster,
            tls: context.tls,
            deadline: context.deadline,
            startedAt,
            onPhase: (phase) => phases.set(node.name, phase)
        }, instances[i]);
        phases.delete(node.name);
        context.nodeReady(made.node, { engineAnswers: true });
        return made;
    });
    return everyOrThrow(await Promise.allSettled(provisioning));
}
/** Every value, once all have settled (nothing is left running), or one error with every failure's message. */
function everyOrThrow(results) {
    const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason.message] : []));
    if (errors.length)
        throw new Error(errors.join('\n'));
    return results.map((result) => result.value);
}
async function resolveAmis(cluster, options) {
    // One lookup per AMI given, and per instance type otherwise (the CPU decides Ubuntu's image).
    const found = new Map();
    const imageOf = (option) => {
        const key = option.ami ?? option.instanceType;
        if (!found.has(key)) {
            found.set(key, option.ami
                ? (0,ami/* imageRootDevice */.ym)(cluster.client, cluster.region, option.ami, '--ami').then((rootDeviceName) => ({ imageId: option.ami, rootDeviceName }))
                : (0,ami/* findUbuntuImage */.Sl)(cluster.client, cluster.region, option.instanceType, '--ami').then((image) => {
                    core/* info */.pq(`AMI ${image.imageId} for ${option.instanceType}: ${image.name}`);
                    return { imageId: image.imageId, rootDeviceName: image.rootDeviceName };
                }));
        }
        return found.get(key);
    };
    return new Map(await Promise.all(options.map(async (option) => [option, await imageOf(option)])));
}
/** Where each node's time went, in the job summary: the GitHub job compares the drivers by it. */
async function summarizePhases(made) {
    if (!process.env.GITHUB_STEP_SUMMARY || !made.length)
        return;
    const names = made[0].phases.map(([what]) => what);
    await core/* summary */.z
        .addHeading('Nodes of driver aws: seconds from the start of creating', 4)
        .addTable([
        [{ data: 'Node', header: true }, { data: 'Instance', header: true }, ...names.map((name) => ({ data: name, header: true }))],
        ...made.map(({ node, instanceId, phases }) => [node.name, instanceId, ...phases.map(([, seconds]) => seconds.toFixed(1))])
    ])
        .write();
}


/***/ }),

/***/ 56835:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Sl: () => (/* binding */ findUbuntuImage),
/* harmony export */   ym: () => (/* binding */ imageRootDevice)
/* harmony export */ });
/* unused harmony exports CANONICAL_OWNER_ID, UBUNTU_RELEASE, architectureOf, ubuntuImageNames */
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(35193);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73947);


/** Canonical's AWS account: only its images are Ubuntu's own. */
const CANONICAL_OWNER_ID = '099720109477';
const UBUNTU_RELEASE = { codename: 'noble', version: '24.04' };
/**
 * The CPU of an instance type: Graviton families carry a `g` right after their generation
 * (t4g, m7g, c6gn, x2gd, im4gn), and a1 is the first Graviton.
 */
function architectureOf(instanceType) {
    const family = instanceType.trim().toLowerCase().split('.')[0] ?? '';
    return family === 'a1' || /^[a-z]+\d+g/.test(family) ? 'arm64' : 'x86_64';
}
/** Canonical's image names: `ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20240701`. */
function ubuntuImageNames(architecture) {
    const arch = architecture === 'arm64' ? 'arm64' : 'amd64';
    const { codename, version } = UBUNTU_RELEASE;
    return ['hvm-ssd-gp3', 'hvm-ssd'].map((volume) => `ubuntu/images/${volume}/ubuntu-${codename}-${version}-${arch}-server-*`);
}
/** The newest Ubuntu LTS server image of Canonical in the client's region, for `instanceType`'s CPU; `amiOption` gives one instead. */
async function findUbuntuImage(client, region, instanceType, amiOption = '--amazonec2-ami') {
    const architecture = architectureOf(instanceType);
    const images = [];
    let nextToken;
    do {
        const page = await client.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .DescribeImagesCommand */ .ji5({
            Owners: [CANONICAL_OWNER_ID],
            Filters: [
                { Name: 'name', Values: ubuntuImageNames(architecture) },
                { Name: 'architecture', Values: [architecture] },
                { Name: 'state', Values: ['available'] },
                { Name: 'root-device-type', Values: ['ebs'] },
                { Name: 'virtualization-type', Values: ['hvm'] }
            ],
            NextToken: nextToken
        }));
        images.push(...(page.Images ?? []));
        nextToken = page.NextToken;
    } while (nextToken);
    // CreationDate is ISO-8601: the newest sorts last as text.
    const newest = images.filter((image) => image.ImageId && image.CreationDate).sort((a, b) => a.CreationDate.localeCompare(b.CreationDate));
    const image = newest.at(-1);
    if (!image) {
        throw new Error(`no Ubuntu ${UBUNTU_RELEASE.version} ${architecture} image of Canonical (owner ${CANONICAL_OWNER_ID}) in ${region}; ` +
            `give an AMI explicitly with ${amiOption}`);
    }
    return {
        imageId: image.ImageId,
        name: image.Name ?? '',
        architecture,
        created: image.CreationDate,
        rootDeviceName: image.RootDeviceName ?? '/dev/sda1'
    };
}
/** The root device of an AMI the user gave; fails naming the option when EC2 does not know the AMI here. */
async function imageRootDevice(client, region, imageId, amiOption) {
    const answer = await client.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .DescribeImagesCommand */ .ji5({ ImageIds: [imageId] })).catch((error) => {
        if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .hasCode */ .up)(error, 'InvalidAMIID.NotFound', 'InvalidAMIID.Malformed', 'InvalidAMIID.Unavailable'))
            return { Images: [] };
        throw error;
    });
    const image = answer.Images?.[0];
    if (!image?.RootDeviceName)
        throw new Error(`${amiOption} ${imageId}: no such AMI in ${region} (or it is not shared with this account)`);
    return image.RootDeviceName;
}


/***/ }),

/***/ 76750:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N$: () => (/* binding */ Engine),
/* harmony export */   Xg: () => (/* binding */ ENGINE_PORT)
/* harmony export */ });
/* unused harmony export EngineError */
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(44708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_0__);

class EngineError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
/** Docker's port for the API over TLS. */
const ENGINE_PORT = 2376;
const REQUEST_TIMEOUT_MS = 10_000;
/** A Docker Engine API client for one node, over mutual TLS (`tcp://ip:port`). */
class Engine {
    dockerHost;
    url;
    agent;
    closed = false;
    constructor(dockerHost, tls) {
        this.dockerHost = dockerHost;
        this.url = new URL(dockerHost.replace(/^tcp:/, 'https:'));
        this.agent = new node_https__WEBPACK_IMPORTED_MODULE_0__.Agent({ keepAlive: true, maxSockets: 4, ca: tls.ca, cert: tls.cert, key: tls.key });
    }
    async ping(timeoutMs = 2000) {
        return (await this.call('GET', '/_ping', undefined, timeoutMs)) === 'OK';
    }
    info() {
        return this.call('GET', '/info');
    }
    swarm() {
        return this.call('GET', '/swarm');
    }
    /** Replaces the swarm's spec; `version` is the one the spec was read at (GET /swarm), as the API requires. */
    updateSwarm(version, spec) {
        return this.call('POST', `/swarm/update?version=${version}`, spec);
    }
    join(body, timeoutMs) {
        return this.call('POST', '/swarm/join', body, timeoutMs);
    }
    leave(timeoutMs) {
        return this.call('POST', '/swarm/leave?force=true', undefined, timeoutMs);
    }
    nodes = (timeoutMs = REQUEST_TIMEOUT_MS) => this.call('GET', '/nodes', undefined, timeoutMs);
    /** Replaces a node's spec (read at `version`, as the API requires): its availability, for the fault action. */
    updateNode = (id, version, spec) => this.call('POST', `/nodes/${encodeURIComponent(id)}/update?version=${version}`, spec);
    /** The image as the engine describes it, or undefined when the engine does not have it. */
    async imageInspect(reference) {
        try {
            return await this.call('GET', `/images/${encodeURIComponent(reference)}/json`);
        }
        catch (error) {
            if (error instanceof EngineError && error.status === 404)
                return undefined;
            throw error;
        }
    }
    /**
     * `docker load` of a tar stream (as `docker save` writes it). Bounded by `idleMs` without a byte
     * either way: a big load takes long, only a stalled one is an error. Not quiet: the engine's
     * progress messages while it unpacks after the last byte keep the connection from looking idle.
     */
    loadImages(tar, idleMs) {
        return new Promise((resolve, reject) => {
            const fail = (message) => reject(new EngineError(`${this.dockerHost} POST /images/load: ${message}`));
            const req = (0,node_https__WEBPACK_IMPORTED_MODULE_0__.request)(this.options('POST', '/images/load?quiet=0', { 'Content-Type': 'application/x-tar', 'Transfer-Encoding': 'chunked' }, idleMs), (res) => readBody(res, (status, text) => {
                if (status >= 400)
                    return fail(errorMessage(text) || `HTTP ${status}`);
                // The answer is a stream of JSON messages; an error arrives as one of them, with status 200.
                const failed = text
                    .split('\n')
                    .filter(Boolean)
                    .map((line) => {
                    try {
                        return JSON.parse(line).error;
                    }
                    catch {
                        return undefined;
                    }
                })
                    .find(Boolean);
                if (failed)
                    fail(failed);
                else
                    resolve();
            }));
            req.on('timeout', () => req.destroy(new Error(`stalled for ${idleMs / 1000} s`)));
            req.on('error', (error) => fail(error.message));
            tar.on('error', (error) => req.destroy(error));
            tar.pipe(req);
        });
    }
    /** Services, with their running and desired task counts (`ServiceStatus`, API 1.41+). */
    services(filters = {}) {
        return this.call('GET', `/services?status=true&filters=${encodeURIComponent(JSON.stringify(filters))}`);
    }
    tasks(filters = {}) {
        return this.call('GET', `/tasks?filters=${encodeURIComponent(JSON.stringify(filters))}`);
    }
    /** Ends the client: its sockets close, and every later request fails at once (a destroyed agent alone would open new ones). */
    close() {
        this.closed = true;
        this.agent.destroy();
    }
    get isClosed() {
        return this.closed;
    }
    options(method, path, headers, timeoutMs) {
        if (this.closed)
            throw new EngineError(`${this.dockerHost} ${method} ${path}: the client was closed`);
        return { host: this.url.hostname, port: this.url.port || ENGINE_PORT, method, path, agent: this.agent, headers, timeout: timeoutMs };
    }
    call(method, path, body, timeoutMs = REQUEST_TIMEOUT_MS) {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        return new Promise((resolve, reject) => {
            const headers = payload
                ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
                : {};
            const req = (0,node_https__WEBPACK_IMPORTED_MODULE_0__.request)(this.options(method, path, headers, timeoutMs), (res) => readBody(res, (status, text) => {
                if (status >= 400)
                    return reject(new EngineError(`${this.dockerHost} ${method} ${path}: ${errorMessage(text) || `HTTP ${status}`}`, status));
                if (!text || !(res.headers['content-type'] ?? '').includes('json'))
                    return resolve(text);
                try {
                    resolve(JSON.parse(text));
                }
                catch {
                    reject(new EngineError(`${this.dockerHost} ${method} ${path}: the answer is not JSON`));
                }
            }));
            req.on('timeout', () => req.destroy(new EngineError(`${this.dockerHost} ${method} ${path}: no answer within ${timeoutMs / 1000} s`)));
            req.on('error', (error) => reject(error instanceof EngineError ? error : new EngineError(`${this.dockerHost} ${method} ${path}: ${error.message}`)));
            req.end(payload);
        });
    }
}
function readBody(res, done) {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (text += chunk));
    res.on('end', () => done(res.statusCode ?? 0, text));
}
/** The engine's own words from an error answer (JSON `message`), else the text. */
function errorMessage(text) {
    try {
        return JSON.parse(text).message ?? text.trim();
    }
    catch {
        return text.trim();
    }
}


/***/ }),

/***/ 21907:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Au: () => (/* binding */ prepareRunTls),
/* harmony export */   Bd: () => (/* binding */ writeSecretFiles),
/* harmony export */   D8: () => (/* binding */ issueCertificate),
/* harmony export */   XQ: () => (/* binding */ clientCertDir),
/* harmony export */   Z$: () => (/* binding */ readClientTls),
/* harmony export */   hI: () => (/* binding */ makePrivateDir)
/* harmony export */ });
/* unused harmony exports createAuthority, loadAuthority */
/* harmony import */ var reflect_metadata__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(80477);
/* harmony import */ var reflect_metadata__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(reflect_metadata__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8927);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
// tsyringe, under @peculiar/x509, needs the Reflect metadata API before it loads.





// Certificates are made in-process with @peculiar/x509 (WebCrypto): no openssl binary,
// whose flags differ between the runners' OpenSSL and macOS's LibreSSL, and no process per file.
const { subtle } = globalThis.crypto;
_peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .cryptoProvider */ .Ve.set(globalThis.crypto);
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const VALIDITY_DAYS = 30;
async function createAuthority(commonName) {
    const keys = await subtle.generateKey(EC, true, ['sign', 'verify']);
    const cert = await _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .X509CertificateGenerator */ .Jy.createSelfSigned({
        serialNumber: serialNumber(),
        name: `CN=${commonName}`,
        ...validity(),
        keys,
        signingAlgorithm: EC,
        extensions: [
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .BasicConstraintsExtension */ .WA(true, 0, true),
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .KeyUsagesExtension */ .hy(_peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .KeyUsageFlags */ .Ob.keyCertSign | _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .KeyUsageFlags */ .Ob.cRLSign, true),
            await _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .SubjectKeyIdentifierExtension */ .QE.create(keys.publicKey)
        ]
    });
    return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey), signingKey: keys.privateKey, subject: cert.subject };
}
/** An existing CA, as given by the `tls-ca-cert` and `tls-ca-key` inputs (any PEM key format). */
async function loadAuthority(certPem, keyPem) {
    const cert = new _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .X509Certificate */ .yI(certPem);
    const key = (0,node_crypto__WEBPACK_IMPORTED_MODULE_2__.createPrivateKey)(keyPem);
    const algorithm = key.asymmetricKeyType === 'ec'
        ? { name: 'ECDSA', namedCurve: namedCurve(key.asymmetricKeyDetails?.namedCurve), hash: 'SHA-256' }
        : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const signingKey = await subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), algorithm, false, ['sign']);
    return { cert: certPem, key: keyPem, signingKey, subject: cert.subject };
}
async function issueCertificate(ca, commonName, usage, sans = {}) {
    const keys = await subtle.generateKey(EC, true, ['sign', 'verify']);
    const altNames = [
        ...(sans.ips ?? []).map((value) => ({ type: 'ip', value })),
        ...(sans.dnsNames ?? []).map((value) => ({ type: 'dns', value }))
    ];
    const cert = await _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .X509CertificateGenerator */ .Jy.create({
        serialNumber: serialNumber(),
        subject: `CN=${commonName}`,
        issuer: ca.subject,
        ...validity(),
        publicKey: keys.publicKey,
        signingKey: ca.signingKey,
        signingAlgorithm: ca.signingKey.algorithm.name === 'ECDSA' ? EC : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        extensions: [
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .BasicConstraintsExtension */ .WA(false, undefined, true),
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .KeyUsagesExtension */ .hy(_peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .KeyUsageFlags */ .Ob.digitalSignature | _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .KeyUsageFlags */ .Ob.keyEncipherment, true),
            new _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .ExtendedKeyUsageExtension */ .j6([usage === 'server' ? _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .ExtendedKeyUsage */ .CD.serverAuth : _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .ExtendedKeyUsage */ .CD.clientAuth]),
            ...(altNames.length ? [new _peculiar_x509__WEBPACK_IMPORTED_MODULE_1__/* .SubjectAlternativeNameExtension */ .Wx(altNames)] : [])
        ]
    });
    return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}
/**
 * Makes (or loads) the CA and a client certificate. The client's files go into `clientDir`
 * (DOCKER_CERT_PATH for later steps); a CA key made here goes apart, into `caDir`. Directories
 * 0700, files 0600.
 */
async function prepareRunTls(clientDir, caDir, userFiles) {
    await makePrivateDir(clientDir);
    const client = clientCertDir(clientDir);
    if (userFiles) {
        const [caCert, caKey, cert, key] = await Promise.all([userFiles.caCert, userFiles.caKey, userFiles.clientCert, userFiles.clientKey].map((file, i) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.readFile)(file, 'utf8').catch(() => {
            throw new Error(`input \`${['tls-ca-cert', 'tls-ca-key', 'tls-client-cert', 'tls-client-key'][i]}\`: cannot read ${file}`);
        })));
        const authority = await loadAuthority(caCert, caKey);
        await writeSecretFiles([
            [client.ca, caCert],
            [client.cert, cert],
            [client.key, key]
        ]);
        return { authority, client, files: userFiles };
    }
    const authority = await createAuthority('setup-swarm CA');
    const clientPair = await issueCertificate(authority, 'setup-swarm client', 'client');
    await makePrivateDir(caDir);
    const caKeyPath = node_path__WEBPACK_IMPORTED_MODULE_4___default().join(caDir, 'ca-key.pem');
    await writeSecretFiles([
        [client.ca, authority.cert],
        [caKeyPath, authority.key],
        [client.cert, clientPair.cert],
        [client.key, clientPair.key]
    ]);
    return { authority, client, files: { caCert: client.ca, caKey: caKeyPath, clientCert: client.cert, clientKey: client.key } };
}
function clientCertDir(dir) {
    return { dir, ca: node_path__WEBPACK_IMPORTED_MODULE_4___default().join(dir, 'ca.pem'), cert: node_path__WEBPACK_IMPORTED_MODULE_4___default().join(dir, 'cert.pem'), key: node_path__WEBPACK_IMPORTED_MODULE_4___default().join(dir, 'key.pem') };
}
/** What the Engine API client needs to reach a node as the run's client. */
async function readClientTls(client) {
    const [ca, cert, key] = await Promise.all([client.ca, client.cert, client.key].map((file) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.readFile)(file, 'utf8')));
    return { ca, cert, key };
}
async function makePrivateDir(dir) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.mkdir)(dir, { recursive: true, mode: 0o700 });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.chmod)(dir, 0o700);
}
/** Writes files that hold secrets: 0600 from the first byte. */
async function writeSecretFiles(files) {
    await Promise.all(files.map(([file, content]) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.writeFile)(file, content, { mode: 0o600 })));
}
async function exportKey(key) {
    const der = Buffer.from(await subtle.exportKey('pkcs8', key));
    return `-----BEGIN PRIVATE KEY-----\n${der
        .toString('base64')
        .replace(/(.{64})/g, '$1\n')
        .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}
function namedCurve(curve) {
    const names = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
    if (!curve || !names[curve])
        throw new Error(`input \`tls-ca-key\`: the EC curve ${curve ?? '(unknown)'} is not supported; use P-256, P-384, P-521 or RSA`);
    return names[curve];
}
function serialNumber() {
    // Positive: the top bit of the first byte is clear.
    const bytes = (0,node_crypto__WEBPACK_IMPORTED_MODULE_2__.randomBytes)(16);
    bytes[0] &= 0x7f;
    return bytes.toString('hex');
}
function validity() {
    // Backdated a little so that a node whose clock lags the runner's accepts it.
    const notBefore = new Date(Date.now() - 60 * 60 * 1000);
    return { notBefore, notAfter: new Date(notBefore.getTime() + VALIDITY_DAYS * 24 * 60 * 60 * 1000) };
}


/***/ }),

/***/ 15874:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B2: () => (/* binding */ Deadline),
/* harmony export */   WF: () => (/* binding */ allSettledInOrder),
/* harmony export */   g3: () => (/* binding */ pollUntil),
/* harmony export */   l0: () => (/* binding */ GiveUp),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);

/** A point in time that bounds every wait of one phase. */
class Deadline {
    what;
    at;
    constructor(seconds, what) {
        this.what = what;
        this.at = Date.now() + seconds * 1000;
    }
    remainingMs() {
        return Math.max(0, this.at - Date.now());
    }
    expired() {
        return this.remainingMs() === 0;
    }
}
/** Thrown by a check: stop waiting now, this will not get better. */
class GiveUp extends Error {
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Calls `check` until it returns true or the deadline passes. A check that throws counts
 * as "not yet"; its last error is part of the timeout message.
 */
async function pollUntil(deadline, what, check, options = {}) {
    const started = Date.now();
    const intervalMs = options.intervalMs ?? 100;
    const progressEveryMs = options.progressEveryMs ?? 5000;
    let nextProgress = started + progressEveryMs;
    let lastError = '';
    for (;;) {
        try {
            if (await check())
                return;
        }
        catch (error) {
            if (error instanceof GiveUp)
                throw error;
            lastError = error instanceof Error ? error.message : String(error);
        }
        const now = Date.now();
        if (deadline.expired()) {
            const state = options.describe?.() ?? lastError;
            throw new Error(`timed out after ${Math.round((now - started) / 1000)} s waiting for ${what}` +
                `${state ? ` (${state})` : ''}; the bound is the \`timeout\` input (${deadline.what}): raise it if the nodes need longer`);
        }
        if (now >= nextProgress) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`still waiting for ${what} after ${Math.round((now - started) / 1000)} s${options.describe ? `: ${options.describe()}` : ''}`);
            nextProgress = now + progressEveryMs;
        }
        await sleep(Math.min(intervalMs, deadline.remainingMs()));
    }
}
/**
 * Waits for every promise, even after one failed (nothing is left running), then throws the first
 * failure in the given order: the one the user fixes first.
 */
async function allSettledInOrder(promises) {
    const results = await Promise.allSettled(promises);
    for (const result of results)
        if (result.status === 'rejected')
            throw result.reason;
    return results.map((result) => result.value);
}


/***/ }),

/***/ 62539:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "2eed7163ab97ed052d43.sh";

/***/ })

};
