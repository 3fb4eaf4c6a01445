export const id = 459;
export const ids = [459];
export const modules = {

/***/ 66459:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/engine/tls.ts
var engine_tls = __webpack_require__(21907);
// EXTERNAL MODULE: ./src/state/cluster.ts
var cluster = __webpack_require__(18611);
// EXTERNAL MODULE: ./src/state/record.ts
var state_record = __webpack_require__(10388);
// EXTERNAL MODULE: ./src/engine/api.ts
var api = __webpack_require__(76750);
// EXTERNAL MODULE: ./src/tools/wait.ts
var wait = __webpack_require__(15874);
// EXTERNAL MODULE: ./src/engine/docker-cli.ts
var docker_cli = __webpack_require__(66315);
// EXTERNAL MODULE: ./src/tools/command.ts
var command = __webpack_require__(58974);
// EXTERNAL MODULE: ./src/swarm/members.ts
var members = __webpack_require__(65303);
;// CONCATENATED MODULE: ./src/swarm/join.ts




async function initSwarm(leader, options) {
    const { client } = options;
    const args = ['--host', leader.dockerHost, '--tlsverify', '--tlscacert', client.ca, '--tlscert', client.cert, '--tlskey', client.key];
    // The CLI's own output names the worker join token: it is captured, never printed.
    const result = await (0,command/* run */.eF)((0,docker_cli/* requireDockerCli */.w4)(), [...args, 'swarm', 'init', '--advertise-addr', leader.advertiseIp, ...options.initOpts], {
        allowFailure: true,
        timeoutMs: Math.max(1000, options.deadline.remainingMs()),
        env: { ...process.env, DOCKER_CONFIG: client.dir }
    });
    if (result.code !== 0) {
        const message = result.stderr.trim() || result.stdout.trim();
        const hint = /already part of a swarm/.test(message)
            ? `; ${leader.name} already belongs to a swarm: run \`docker swarm leave --force\` on it, or use a fresh host`
            : '; check `swarm-init-opts`';
        throw new Error(`docker swarm init on ${leader.name} failed: ${message}${hint}`);
    }
}
async function joinSwarm(node, engine, join, deadline) {
    let lastError = '';
    for (let attempt = 0; !deadline.expired() && !engine.isClosed; attempt++) {
        try {
            await engine.join({ ListenAddr: `0.0.0.0:${members/* SWARM_PORT */.XG}`, AdvertiseAddr: `${node.advertiseIp}:${members/* SWARM_PORT */.XG}`, ...join }, Math.max(1000, deadline.remainingMs()));
            return;
        }
        catch (error) {
            lastError = error.message;
            if (/already part of a swarm/.test(lastError)) {
                // On a retry, an earlier join went through after its answer was lost; on the first try
                // the host was in some other swarm before we came.
                if (attempt > 0)
                    return;
                throw new Error(`${node.name} already belongs to a swarm: run \`docker swarm leave --force\` on it, or use a fresh host`, { cause: error });
            }
            if (/invalid join token/i.test(lastError))
                break;
            await (0,wait/* sleep */.yy)(500);
        }
    }
    throw new Error(`${node.name} (${node.advertiseIp}) could not join the swarm at ${join.RemoteAddrs[0]}: ${lastError || 'timed out'}; ${members/* PORTS_HINT */.j7}`);
}

;// CONCATENATED MODULE: ./src/swarm/formation.ts






/** How long workers wait at most for the managers to be in the swarm's raft before they join. */
const WORKERS_WAIT_MS = 1000;
/**
 * Forms the swarm while the driver is still making nodes: the first manager initialises it as soon
 * as its engine answers, and every other node joins as soon as its own engine answers.
 */
class SwarmFormation {
    leaderName;
    tls;
    options;
    engines = new Map();
    /** Each node's swarm node ID, once it is in the swarm. */
    nodeIds = new Map();
    work = [];
    initialised;
    settleInit;
    started = Date.now();
    stopping = false;
    initialising;
    managersSeated;
    constructor(leaderName, tls, options) {
        this.leaderName = leaderName;
        this.tls = tls;
        this.options = options;
        this.initialised = new Promise((resolve, reject) => (this.settleInit = { resolve, reject }));
        // Awaited by every join and by finish; a failure before then must not end the process.
        this.initialised.catch(() => undefined);
    }
    static async start(leaderName, options) {
        return new SwarmFormation(leaderName, await (0,engine_tls/* readClientTls */.Z$)(options.client), options);
    }
    /** A node whose engine exists: it initialises or joins the swarm in the background, once its engine answers. */
    add(node, engineAnswers = false) {
        if (this.engines.has(node.name))
            return;
        const engine = new api/* Engine */.N$(node.dockerHost, this.tls);
        this.engines.set(node.name, engine);
        const answering = engineAnswers ? Promise.resolve() : waitForEngine(node, engine, this.options.deadline, () => this.stopping);
        const work = node.name === this.leaderName ? (this.initialising = this.initialise(node, engine, answering)) : this.join(node, engine, answering);
        work.catch(() => undefined);
        this.work.push(work);
    }
    /** Every node made: waits until each has joined and is Ready. */
    async finish(nodes) {
        nodes.forEach((node) => this.add(node));
        await Promise.all(this.work);
        const { tokens, managerAddress } = await this.initialised;
        this.step('every node joined');
        const ids = nodes.map((node) => this.nodeIds.get(node.name));
        const listed = await (0,members/* waitForReady */.Cf)(nodes, ids, this.engines.get(this.leaderName), this.options.deadline);
        this.step('every node Ready');
        return {
            members: nodes.map((node, i) => ({ ...node, id: ids[i], status: listed.get(ids[i])?.Status.State ?? 'unknown' })),
            managerIp: nodes[0].ip,
            managerAddress,
            workerToken: tokens.Worker,
            managerToken: tokens.Manager
        };
    }
    /** Stops the formation after a failure: waits and joins end at once; an init under way finishes first, then every request ends. */
    async close() {
        this.stopping = true;
        const leader = this.engines.get(this.leaderName);
        for (const engine of this.engines.values())
            if (engine !== leader)
                engine.close();
        // A swarm already being initialised is let finish (its init is bounded), so that it is recorded
        // and post can take the hosts that outlive it (none, generic) out of it.
        await this.initialising?.catch(() => undefined);
        leader?.close();
    }
    async initialise(leader, engine, answering) {
        try {
            await answering;
            this.step(`${leader.name} answered`);
            await initSwarm(leader, this.options);
            const [inspected] = await Promise.all([engine.swarm(), this.noteNodeId(leader, engine)]);
            const { ID: id, JoinTokens: tokens } = inspected;
            core/* setSecret */.Pq(tokens.Worker);
            core/* setSecret */.Pq(tokens.Manager);
            await engine.updateSwarm(inspected.Version.Index, {
                ...inspected.Spec,
                Labels: { ...inspected.Spec.Labels, [members/* CLUSTER_LABEL */.eq]: this.options.name }
            });
            const managerAddress = (0,members/* joinAddress */.Vz)(leader);
            this.options.onInitialised({ id, managerAddress });
            this.step('swarm initialised');
            core/* info */.pq(`swarm initialised on ${leader.name} (${managerAddress}); the other nodes join as their engines answer`);
            this.settleInit.resolve({ tokens, managerAddress });
        }
        catch (error) {
            this.settleInit.reject(error);
            throw error;
        }
    }
    async join(node, engine, answering) {
        await answering;
        this.step(`${node.name} answered`);
        const { tokens, managerAddress } = await this.initialised;
        const token = node.role === 'manager' ? tokens.Manager : tokens.Worker;
        if (node.role === 'worker')
            await this.seatManagers();
        await joinSwarm(node, engine, { RemoteAddrs: [managerAddress], JoinToken: token }, this.options.deadline);
        await this.noteNodeId(node, engine);
        this.step(`${node.name} joined`);
    }
    /**
     * Waits (at most WORKERS_WAIT_MS) until every manager is a reachable member of the swarm's raft. A
     * manager's join is the slow one (its engine waits half a second for its own control API), and it
     * needs the leader's raft and the runner's CPU first: workers that join at the same moment slow
     * it down, while they join in a moment once it is in.
     */
    seatManagers() {
        return (this.managersSeated ??= this.waitForManagers());
    }
    /** One wait for every worker: the leader's node list until it counts every manager reachable. */
    async waitForManagers() {
        const leader = this.engines.get(this.leaderName);
        const seated = async () => (await leader.nodes()).filter((node) => node.ManagerStatus?.Reachability === 'reachable').length >= this.options.managers;
        const bound = new wait/* Deadline */.B2(Math.min(WORKERS_WAIT_MS, this.options.deadline.remainingMs()) / 1000, 'the managers to join before the workers');
        await (0,wait/* pollUntil */.g3)(bound, 'the managers to join', seated, { intervalMs: 25 }).then(() => this.step('every manager in the raft: the workers join'), () => this.step('the workers join without waiting longer for the managers'));
    }
    async noteNodeId(node, engine) {
        this.nodeIds.set(node.name, (await engine.info()).Swarm.NodeID);
    }
    step(what) {
        core/* debug */.Yz(`${what} after ${Date.now() - this.started} ms`);
    }
}
async function waitForEngine(node, engine, deadline, stopped) {
    const answers = () => {
        // Main gave up (another node failed): stop waiting now.
        if (stopped())
            throw new wait/* GiveUp */.l0(`the engine of ${node.name} was not waited for: the swarm's formation was stopped`);
        return engine.ping(2000);
    };
    await (0,wait/* pollUntil */.g3)(deadline, `the engine of ${node.name} to answer`, answers, { intervalMs: 100 });
}

// EXTERNAL MODULE: ./src/workload/images.ts + 1 modules
var workload_images = __webpack_require__(77915);
;// CONCATENATED MODULE: ./src/cluster/create.ts





async function createCluster(options) {
    const { inputs, driver, phase, deadline } = options;
    // From here on things exist: the state names each before it is created.
    const state = { name: inputs.name, driver: inputs.driver, cleanup: inputs.cleanup, dir: options.dir, owner: options.owner };
    // Names other runs could take too come first: nothing of the cluster is recorded or written before they are this run's.
    await driver.claim?.(inputs, state, () => (0,cluster/* saveState */.LZ)(state));
    (0,cluster/* saveState */.LZ)(state);
    options.onStarted();
    await (0,engine_tls/* makePrivateDir */.hI)(state.dir);
    const paths = (0,cluster/* clusterPaths */.bo)(state.dir);
    const tls = await phase('Creating certificates', () => (0,engine_tls/* prepareRunTls */.Au)(paths.clientCerts, paths.ca, inputs.tls));
    const onInitialised = (identity) => {
        state.swarm = identity;
        (0,cluster/* saveState */.LZ)(state);
    };
    const managers = inputs.nodes.filter((node) => node.role === 'manager').length;
    const formation = await SwarmFormation.start(inputs.nodes[0].name, {
        name: inputs.name,
        managers,
        initOpts: inputs.swarmInitOpts,
        client: tls.client,
        deadline,
        onInitialised
    });
    try {
        const nodeReady = (node, seen) => formation.add(node, seen?.engineAnswers);
        const context = { inputs, state, saveState: () => (0,cluster/* saveState */.LZ)(state), tls, deadline, images: options.images, nodeReady };
        if (driver.prepare)
            await phase(`Preparing the ${inputs.driver} driver`, () => driver.prepare(context));
        const nodes = await phase(`Creating ${managers} manager(s) and ${inputs.nodes.length - managers} worker(s) with driver ${inputs.driver}`, () => driver.create(inputs.nodes, context));
        const record = { name: inputs.name, driver: inputs.driver, state, nodes, stack: options.stackName };
        options.onRecord(record);
        await (0,state_record/* writeClusterRecord */.ns)(record);
        // The images go in while the swarm forms: loading needs the engines, not the swarm.
        const loading = options.images.length ? (0,workload_images/* loadImages */.z6)(nodes, options.images, tls.client, options.workDeadline) : undefined;
        loading?.catch(() => undefined); // awaited by main, or settled before a formation failure is reported
        const swarm = await phase('Forming the swarm', () => formation.finish(nodes)).catch(async (error) => {
            await loading?.catch(() => undefined);
            throw error;
        });
        record.nodes = swarm.members;
        await (0,state_record/* writeClusterRecord */.ns)(record);
        return { state, client: tls.client, swarm, loading };
    }
    finally {
        await formation.close();
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/state/owner.ts
var state_owner = __webpack_require__(9622);
;// CONCATENATED MODULE: ./src/swarm/attach.ts




/** Engines that answer within this much of the deadline, or the cluster is not healthy. */
const ANSWER_MS = 30_000;
/**
 * Checks that every node's engine answers, that the first node manages a swarm labelled with this
 * cluster's name, and that every node (and no other) is a Ready member with the role it was made
 * with; then reads what the outputs need (the join tokens too, masked as they arrive).
 */
async function attachSwarm(name, nodes, tls, deadline) {
    const engines = nodes.map((node) => new api/* Engine */.N$(node.dockerHost, tls));
    try {
        const answers = await Promise.allSettled(nodes.map((node, i) => answering(node, engines[i], deadline)));
        const silent = answers.flatMap((answer) => (answer.status === 'rejected' ? [answer.reason.message] : []));
        if (silent.length)
            throw unhealthy(name, silent);
        const infos = answers.map((answer) => answer.value);
        const [leader] = nodes;
        const outside = nodes.flatMap((node, i) => (infos[i].Swarm.LocalNodeState === 'active' ? [] : [`${node.name} is not in a swarm`]));
        if (outside.length)
            throw unhealthy(name, outside);
        if (!infos[0].Swarm.ControlAvailable)
            throw unhealthy(name, [`${leader.name}, its first manager, is not a manager`]);
        const inspected = await engines[0].swarm();
        const label = inspected.Spec.Labels?.[members/* CLUSTER_LABEL */.eq];
        if (label !== name) {
            throw new Error(`the hosts of cluster "${name}" are in a swarm that is ${label ? `cluster "${label}"` : 'not one setup-swarm made'}; give its own \`name\`, or have the hosts leave it (\`docker swarm leave --force\`)`);
        }
        const ids = infos.map((info) => info.Swarm.NodeID);
        const listed = await (0,members/* waitForReady */.Cf)(nodes, ids, engines[0], deadline).catch((error) => {
            throw unhealthy(name, [error.message]);
        });
        const strangers = [...listed.values()].filter((entry) => !ids.includes(entry.ID)).map((entry) => entry.Description.Hostname);
        const wrongRole = nodes.filter((node, i) => listed.get(ids[i])?.Spec.Role !== node.role);
        if (strangers.length || wrongRole.length) {
            throw new Error(`kept cluster "${name}" is not what the inputs \`managers\`, \`workers\` and \`nodes\` describe: ${[
                ...strangers.map((host) => `${host} is a member the inputs do not name`),
                ...wrongRole.map((node) => `${node.name} is not a ${node.role}`)
            ].join('; ')}; keep the inputs of the run that made it, or destroy it by name first`);
        }
        const { JoinTokens: tokens, ID: id } = inspected;
        core/* setSecret */.Pq(tokens.Worker);
        core/* setSecret */.Pq(tokens.Manager);
        const managerAddress = (0,members/* joinAddress */.Vz)(leader);
        return {
            swarm: {
                members: nodes.map((node, i) => ({ ...node, id: ids[i], status: listed.get(ids[i])?.Status.State ?? 'unknown' })),
                managerIp: leader.ip,
                managerAddress,
                workerToken: tokens.Worker,
                managerToken: tokens.Manager
            },
            identity: { id, managerAddress }
        };
    }
    finally {
        for (const engine of engines)
            engine.close();
    }
}
async function answering(node, engine, deadline) {
    let info;
    // A kept node that does not answer within this is down, not slow: no need to wait out `timeout`.
    const bound = new wait/* Deadline */.B2(Math.min(ANSWER_MS, deadline.remainingMs()) / 1000, deadline.what);
    await (0,wait/* pollUntil */.g3)(bound, `the engine of ${node.name}`, async () => Boolean((info = await engine.info())), { intervalMs: 250 }).catch((error) => {
        throw new Error(`${node.name}'s engine at ${node.dockerHost} does not answer (${error.message.split(';')[0]})`, { cause: error });
    });
    return info;
}
function unhealthy(name, problems) {
    return new Error(`kept cluster "${name}" is not healthy: ${problems.join('; ')}. Destroy it by name (setup-swarm/destroy) and run again to make it anew`);
}

;// CONCATENATED MODULE: ./src/cluster/reuse.ts








/**
 * The kept cluster named `inputs.name`, or undefined when there is none. A dir left by a kept
 * cluster that is gone (a self-hosted runner rebooted, or it was destroyed from another runner)
 * is removed, with whatever its record names, so that the cluster is made anew.
 */
async function findKeptCluster(inputs, owner, driver, dir) {
    if (!driver.findKept)
        return undefined;
    const record = await (0,state_record/* readClusterRecord */.CW)(dir);
    // Before anything else of it is read, used or removed.
    if (record)
        (0,state_owner/* checkOwner */.AA)(`kept cluster "${inputs.name}" (${dir})`, record.state.owner, owner);
    if (record && record.driver !== inputs.driver) {
        throw new Error(`input \`driver\`: kept cluster "${inputs.name}" was made with driver ${record.driver}, not ${inputs.driver}; destroy it by name first, or give another \`name\``);
    }
    const nodes = await driver.findKept({ inputs, owner, dir, record, tls: await lookupTls(inputs, dir) });
    if (nodes)
        return { nodes, record };
    if ((0,external_node_fs_.existsSync)(dir)) {
        core/* warning */.$e(`kept cluster ${inputs.name} is gone; removing what is left of it (${dir}) and making it anew`);
        const left = record ? await driver.remove({ ...record.state, cleanup: true }).catch((error) => [error.message]) : [];
        if (left.length)
            core/* warning */.$e(`could not remove everything of the old cluster ${inputs.name}:\n- ${left.join('\n- ')}`);
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
    return undefined;
}
/** What the engines are probed with: the `tls-*` inputs' client, or the one a run on this runner kept. */
async function lookupTls(inputs, dir) {
    if (inputs.tls) {
        const { caCert, clientCert, clientKey } = inputs.tls;
        return (0,engine_tls/* readClientTls */.Z$)({ dir: '', ca: caCert, cert: clientCert, key: clientKey }).catch((error) => {
            throw new Error(`inputs \`tls-ca-cert\`, \`tls-client-cert\`, \`tls-client-key\`: cannot read them: ${error.message}`, { cause: error });
        });
    }
    const own = (0,engine_tls/* clientCertDir */.XQ)((0,cluster/* clusterPaths */.bo)(dir).clientCerts);
    return (0,external_node_fs_.existsSync)(own.key) ? (0,engine_tls/* readClientTls */.Z$)(own) : undefined;
}
/** Checks the kept cluster's health and attaches to it; nothing is created on it, and post removes nothing. */
async function reuseCluster(inputs, owner, kept, dir, deadline) {
    await (0,engine_tls/* makePrivateDir */.hI)(dir);
    const paths = (0,cluster/* clusterPaths */.bo)(dir);
    // The client certificate: from the tls-* inputs (a kept cluster on another runner), or the one kept here.
    const client = inputs.tls ? (await (0,engine_tls/* prepareRunTls */.Au)(paths.clientCerts, paths.ca, inputs.tls)).client : (0,engine_tls/* clientCertDir */.XQ)(paths.clientCerts);
    const { swarm, identity } = await attachSwarm(inputs.name, kept.nodes, await (0,engine_tls/* readClientTls */.Z$)(client), deadline);
    // The driver's part of the old record stays: a destroy on this runner, and diagnostics, read it.
    const state = {
        ...kept.record?.state,
        name: inputs.name,
        driver: inputs.driver,
        cleanup: false,
        reused: true,
        dir,
        owner,
        swarm: identity
    };
    const record = { name: inputs.name, driver: inputs.driver, state, nodes: swarm.members, stack: inputs.stack?.name };
    return { state, client, swarm, record };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/diagnostics/redact.ts
// Diagnostics go into an artifact that anyone who can read the run can download: whatever an engine
// or a command printed passes through here first. Join tokens, unlock keys and private keys are
// replaced wherever they appear; the values given (the run's own secrets) too.
const SECRET_PATTERNS = [
    /SWMTKN-1-[0-9a-z]+-[0-9a-z]+/gi,
    /SWMKEY-1-[A-Za-z0-9+/=]+/g,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g
];
const REDACTED = '[redacted]';
function redact(text, secrets = []) {
    let result = SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, REDACTED), text);
    for (const secret of secrets.filter((value) => value.length >= 8))
        result = result.split(secret).join(REDACTED);
    return result;
}

;// CONCATENATED MODULE: ./src/diagnostics/collect.ts




const DEFAULT_LIMITS = { totalMs: 90_000, commandMs: 20_000, fileBytes: 2_000_000, totalBytes: 20_000_000, concurrency: 4 };
async function collectDiagnostics(target, dir, limits = DEFAULT_LIMITS) {
    const ends = Date.now() + limits.totalMs;
    const remaining = () => Math.max(0, ends - Date.now());
    const collected = { dir, files: [], bytes: 0, problems: [], services: [] };
    const limit = limiter(limits.concurrency);
    await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
    const save = async (file, text) => {
        let content = redact(text, target.secrets);
        if (Buffer.byteLength(content) > limits.fileBytes) {
            content = `[first part cut: only the last ${limits.fileBytes} bytes are kept]\n${Buffer.from(content).subarray(-limits.fileBytes).toString('utf8')}`;
        }
        const size = Buffer.byteLength(content);
        if (collected.bytes + size > limits.totalBytes) {
            collected.problems.push(`${file}: not written, the diagnostics reached their size bound (${limits.totalBytes} bytes)`);
            return;
        }
        collected.bytes += size;
        await (0,promises_.mkdir)(external_node_path_default().join(dir, external_node_path_default().dirname(file)), { recursive: true, mode: 0o700 });
        await (0,promises_.writeFile)(external_node_path_default().join(dir, file), content, { mode: 0o600 });
        if (!collected.files.includes(file))
            collected.files.push(file);
    };
    /** A docker command's output into a file; a failure is noted in the file and in the problems. */
    const capture = (docker, args, file) => limit(async () => {
        const timeoutMs = Math.min(limits.commandMs, remaining());
        if (timeoutMs <= 0)
            return void collected.problems.push(`${file}: the diagnostics ran out of time`);
        const result = await docker(args, { allowFailure: true, timeoutMs }).catch((error) => ({ code: 1, stdout: '', stderr: error.message }));
        if (result.code !== 0)
            collected.problems.push(`${file}: docker ${args.join(' ')} failed: ${lastLine(result.stderr)}`);
        await save(file, `$ docker ${args.join(' ')}\n${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`);
        return result;
    });
    const nodes = target.record.nodes;
    const perNode = nodes.map(async (node) => {
        const docker = (0,docker_cli/* nodeDocker */.Dd)(node.dockerHost, target.client);
        await capture(docker, ['info'], `nodes/${node.name}/info.txt`);
        if (target.engineLog) {
            await limit(async () => {
                const timeoutMs = Math.min(limits.commandMs, remaining());
                const log = await target.engineLog(node, { maxBytes: limits.fileBytes, timeoutMs }).catch((error) => {
                    collected.problems.push(`nodes/${node.name}/engine.log: ${error.message}`);
                    return `(could not read the engine log: ${error.message})`;
                });
                await save(`nodes/${node.name}/engine.log`, log);
            });
        }
    });
    const swarmWide = (async () => {
        const manager = await firstAnsweringManager(nodes, target.client, capture);
        if (!manager)
            return void collected.problems.push('no manager answered `docker node ls`: the swarm-wide files are missing');
        collected.nodeList = manager.nodeList;
        await capture(manager.docker, ['service', 'ls'], 'services.txt');
        const listed = await limit(() => manager.docker(['service', 'ls', '--format', '{{.Name}}\t{{.Mode}}\t{{.Replicas}}'], {
            allowFailure: true,
            timeoutMs: Math.min(limits.commandMs, remaining())
        })).catch(() => undefined);
        collected.services = (listed?.stdout ?? '')
            .split('\n')
            .filter(Boolean)
            .map((line) => line.split('\t'))
            .map(([name, mode, replicas]) => ({ name, mode: mode ?? '', replicas: replicas ?? '' }));
        await Promise.all(collected.services.flatMap(({ name }) => [
            capture(manager.docker, ['service', 'ps', '--no-trunc', name], `services/${name}/ps.txt`),
            capture(manager.docker, ['service', 'logs', '--timestamps', '--no-trunc', '--tail', '2000', name], `services/${name}/logs.txt`)
        ]));
    })();
    let timer;
    const outOfTime = new Promise((resolve) => (timer = setTimeout(() => resolve('late'), limits.totalMs + 1000)));
    const finished = await Promise.race([Promise.all([...perNode, swarmWide]).then(() => 'done'), outOfTime]);
    clearTimeout(timer);
    if (finished === 'late')
        collected.problems.push(`the collection did not finish within ${limits.totalMs / 1000} s; what was collected by then is kept`);
    await save('README.txt', readme(target.record, collected)).catch(() => undefined);
    return collected;
}
/** The first manager that answers `docker node ls`; its output is the first file. */
async function firstAnsweringManager(nodes, client, capture) {
    for (const node of nodes.filter((candidate) => candidate.role === 'manager')) {
        const docker = (0,docker_cli/* nodeDocker */.Dd)(node.dockerHost, client);
        const result = await capture(docker, ['node', 'ls'], 'node-ls.txt');
        if (result?.code === 0)
            return { docker, nodeList: result.stdout };
    }
    return undefined;
}
function readme(record, collected) {
    return [
        `Diagnostics of swarm ${record.name} (driver ${record.driver}), ${new Date().toISOString()}`,
        '',
        'node-ls.txt            docker node ls, from the first manager that answered',
        'services.txt           docker service ls',
        'services/<name>/       docker service ps --no-trunc, and docker service logs (last 2000 lines)',
        'nodes/<name>/          docker info, and the engine log (its end)',
        '',
        'Join tokens and private keys are redacted; no service spec (environment) is included.',
        ...(collected.problems.length ? ['', 'Not collected:', ...collected.problems.map((problem) => `- ${problem}`)] : [])
    ].join('\n');
}
const lastLine = (text) => text.trim().split('\n').pop() ?? '';
/** Runs at most `concurrency` of the given jobs at once. */
function limiter(concurrency) {
    let active = 0;
    const queue = [];
    return async (job) => {
        if (active >= concurrency)
            await new Promise((resolve) => queue.push(resolve));
        active++;
        try {
            return await job();
        }
        finally {
            active--;
            queue.shift()?.();
        }
    };
}

;// CONCATENATED MODULE: ./src/diagnostics/upload.ts

const UPLOAD_TIMEOUT_MS = 120_000;
const RETENTION_DAYS = 7;
/** Uploads the files (relative to `dir`) as one artifact; never throws: a failure is a reason. */
async function uploadDiagnostics(dir, files, name, uploader, timeoutMs = UPLOAD_TIMEOUT_MS) {
    if (!uploader && !process.env.ACTIONS_RUNTIME_TOKEN) {
        return { uploaded: false, name, reason: 'not on a GitHub runner (no ACTIONS_RUNTIME_TOKEN), so no artifact' };
    }
    let timer;
    try {
        // Loaded only when needed: the artifact client is most of the bundle, and most runs never upload.
        const client = uploader ?? new (await __webpack_require__.e(/* import() */ 584).then(__webpack_require__.bind(__webpack_require__, 20584))).DefaultArtifactClient();
        const upload = client.uploadArtifact(name, files.map((file) => external_node_path_default().join(dir, file)), dir, { retentionDays: RETENTION_DAYS });
        const late = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`the upload did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
        });
        const response = await Promise.race([upload, late]);
        return { uploaded: true, name, id: response.id, size: response.size };
    }
    catch (error) {
        return { uploaded: false, name, reason: error.message };
    }
    finally {
        clearTimeout(timer);
    }
}

;// CONCATENATED MODULE: ./src/diagnostics/index.ts








async function runDiagnostics(record, driver, options) {
    try {
        return await core/* group */.Os(`Collecting diagnostics of swarm ${record.name}`, async () => {
            const dir = external_node_path_default().join(process.env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'setup-swarm-diagnostics', `${record.name}-${stamp()}`);
            const started = Date.now();
            const collected = await collectDiagnostics({
                record,
                client: (0,engine_tls/* clientCertDir */.XQ)((0,cluster/* clusterPaths */.bo)(record.state.dir).clientCerts),
                engineLog: driver.engineLog ? (node, limits) => driver.engineLog(record.state, node, limits) : undefined,
                secrets: options.secrets
            }, dir, options.limits ?? DEFAULT_LIMITS);
            core/* info */.pq(`collected ${collected.files.length} file(s), ${(collected.bytes / 1e6).toFixed(2)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dir}`);
            const upload = await uploadDiagnostics(dir, collected.files, options.artifactName || defaultArtifactName(record.name), options.uploader);
            if (upload.uploaded)
                core/* info */.pq(`uploaded artifact ${upload.name}${upload.size ? ` (${upload.size} bytes)` : ''}`);
            else
                core/* warning */.$e(`the diagnostics of swarm ${record.name} were not uploaded (${upload.reason}); they are in ${dir}`);
            if (collected.problems.length)
                core/* warning */.$e(`some diagnostics of swarm ${record.name} are missing:\n- ${collected.problems.join('\n- ')}`);
            await writeDiagnosticsSummary(record, options.reason, collected, upload);
            core/* setOutput */.uH('diagnostics-path', dir);
            return { collected, upload };
        });
    }
    catch (error) {
        core/* warning */.$e(`could not collect the diagnostics of swarm ${record.name}: ${error.message}`);
        return undefined;
    }
}
/** Unique in a run: a matrix may give every job's cluster the same name. */
const defaultArtifactName = (name) => `setup-swarm-${name}-diagnostics-${(0,external_node_crypto_.randomBytes)(3).toString('hex')}`;
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
async function writeDiagnosticsSummary(record, reason, collected, upload) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const summary = core/* summary */.z
        .addHeading(`Diagnostics of swarm ${record.name}`, 3)
        .addRaw(`${reason}. `)
        .addRaw(upload.uploaded
        ? `Artifact <code>${upload.name}</code>: ${collected.files.length} files.`
        : `Not uploaded (${upload.reason}); ${collected.files.length} files in <code>${collected.dir}</code>.`, true);
    if (collected.services.length) {
        summary.addTable([
            [
                { data: 'Service', header: true },
                { data: 'Mode', header: true },
                { data: 'Replicas', header: true }
            ],
            ...collected.services.map((service) => [service.name, service.mode, service.replicas])
        ]);
    }
    if (collected.nodeList)
        summary.addDetails('docker node ls', `<pre>${escapeHtml(collected.nodeList.trim())}</pre>`);
    if (collected.problems.length)
        summary.addRaw('Missing:', true).addList(collected.problems.map(escapeHtml));
    await summary.write().catch((error) => core/* warning */.$e(`could not write the job summary: ${error.message}`));
}
const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// EXTERNAL MODULE: ./src/inputs/index.ts + 3 modules
var src_inputs = __webpack_require__(24062);
;// CONCATENATED MODULE: ./src/outputs/step-outputs.ts

// The step's outputs, and the environment it exports for later steps: where the swarm is, and the
// client certificate that reaches it.
function writeOutputs(name, swarm, client, exportEnv) {
    const leader = swarm.members[0];
    core/* setOutput */.uH('name', name);
    core/* setOutput */.uH('manager-ip', swarm.managerIp);
    core/* setOutput */.uH('manager-address', swarm.managerAddress);
    core/* setOutput */.uH('docker-host', leader.dockerHost);
    core/* setOutput */.uH('cert-path', client.dir);
    // Registered as secrets when the swarm handed them out; set here, masked in every log.
    core/* setOutput */.uH('worker-token', swarm.workerToken);
    core/* setOutput */.uH('manager-token', swarm.managerToken);
    core/* setOutput */.uH('nodes', JSON.stringify(swarm.members.map(({ name: nodeName, role, ip, advertiseIp, dockerHost, id }) => ({ name: nodeName, role, ip, advertiseIp, dockerHost, id }))));
    if (exportEnv) {
        core/* exportVariable */.dN('DOCKER_HOST', leader.dockerHost);
        core/* exportVariable */.dN('DOCKER_TLS_VERIFY', '1');
        core/* exportVariable */.dN('DOCKER_CERT_PATH', client.dir);
    }
}

;// CONCATENATED MODULE: ./src/outputs/summary.ts

async function writeSummary(title, swarm, timings, services) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const summary = core/* summary */.z.addHeading(title, 3);
    if (swarm) {
        summary.addTable([
            [
                { data: 'Node', header: true },
                { data: 'Role', header: true },
                { data: 'Address', header: true },
                { data: 'Status', header: true },
                { data: 'ID', header: true }
            ],
            ...swarm.members.map((member) => [member.name, member.role, member.ip, member.status, member.id])
        ]);
    }
    if (services?.length) {
        summary.addTable([
            [
                { data: 'Service', header: true },
                { data: 'Mode', header: true },
                { data: 'Running', header: true },
                { data: 'Published', header: true }
            ],
            ...services.map((service) => [
                service.name,
                service.mode,
                `${service.running}/${service.replicas}`,
                service.ports.map((port) => `${port.address ?? `:${port.published ?? '?'}`} → ${port.target}/${port.protocol} (${port.mode})`).join(', ')
            ])
        ]);
    }
    summary.addTable([
        [
            { data: 'Phase', header: true },
            { data: 'Seconds', header: true }
        ],
        ...timings.map((timing) => [timing.phase, timing.seconds.toFixed(2)])
    ]);
    await summary.write();
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./src/engine/reference.ts
var reference = __webpack_require__(46787);
;// CONCATENATED MODULE: ./src/workload/convergence.ts
/** Failed tasks after which a service that has not converged is given up on: it will not start. */
const FAILURES_TO_GIVE_UP = 3;
function serviceMode(service) {
    const mode = service.Spec.Mode;
    if (mode.Global)
        return 'global';
    if (mode.ReplicatedJob)
        return 'replicated-job';
    if (mode.GlobalJob)
        return 'global-job';
    return 'replicated';
}
/**
 * A task counts as running once it was seen running `stableMs` ago and still is: a command that
 * exits at once passes through `running` without having started for good. `firstSeenRunning`
 * (task ID → when first seen running) is kept by the caller across polls.
 */
function serviceProgress(service, tasks, firstSeenRunning, now, stableMs) {
    const mode = serviceMode(service);
    const own = tasks.filter((task) => task.ServiceID === service.ID && isOfCurrentSpec(task, service));
    const failedTasks = own
        .filter((task) => task.Status.State === 'failed' || task.Status.State === 'rejected')
        .sort((a, b) => (a.Status.Timestamp ?? '').localeCompare(b.Status.Timestamp ?? ''));
    const last = failedTasks[failedTasks.length - 1];
    const lastError = last ? last.Status.Err || last.Status.Message : undefined;
    if (mode === 'replicated-job' || mode === 'global-job') {
        const desired = mode === 'replicated-job' ? (service.Spec.Mode.ReplicatedJob?.TotalCompletions ?? 1) : (service.ServiceStatus?.DesiredTasks ?? 0);
        const completed = own.filter((task) => task.Status.State === 'complete').length;
        return base(desired, completed, completed >= desired && desired > 0, []);
    }
    const running = own.filter((task) => task.DesiredState === 'running' && task.Status.State === 'running');
    for (const task of running)
        if (!firstSeenRunning.has(task.ID))
            firstSeenRunning.set(task.ID, now);
    const stable = running.filter((task) => now - firstSeenRunning.get(task.ID) >= stableMs);
    // One per slot (replicated) or per node (global): a task being replaced is not a second one.
    const places = new Set(stable.map((task) => (mode === 'global' ? task.NodeID : String(task.Slot))));
    const desired = mode === 'global' ? (service.ServiceStatus?.DesiredTasks ?? 0) : (service.Spec.Mode.Replicated?.Replicas ?? 1);
    // A global service whose manager has not yet counted its nodes wants 0 tasks: not converged yet.
    const converged = places.size >= desired && (desired > 0 || mode === 'replicated');
    return base(desired, places.size, converged, [...new Set(stable.map((task) => task.NodeID).filter((id) => Boolean(id)))]);
    function base(desired, count, converged, nodeIds) {
        return { id: service.ID, name: service.Spec.Name, mode, desired, running: count, failed: failedTasks.length, converged, nodeIds, lastError };
    }
}
/** A service that will not get there by waiting. */
const givenUp = (progress) => !progress.converged && progress.failed >= FAILURES_TO_GIVE_UP;
/** `web 0/1 (2 failed), agent 2/3`: for progress lines and errors. */
function describeProgress(services) {
    return services.map((s) => `${s.name} ${s.running}/${s.desired}${s.failed ? ` (${s.failed} failed)` : ''}`).join(', ');
}
/**
 * A task made from the service's current container spec. A redeploy into a kept swarm updates
 * services in place: until the update has replaced them, the old spec's tasks still run in their
 * slots, and counting them would call the update converged before it started.
 */
function isOfCurrentSpec(task, service) {
    const current = service.Spec.TaskTemplate.ContainerSpec;
    return task.Spec?.ContainerSpec === undefined || current === undefined || canonical(task.Spec.ContainerSpec) === canonical(current);
}
/** JSON with every object's keys sorted: equal specs, equal text. */
function canonical(value) {
    return JSON.stringify(value, (_, inner) => inner && typeof inner === 'object' && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
        : inner);
}

;// CONCATENATED MODULE: ./src/workload/stack.ts










const STACK_LABEL = 'com.docker.stack.namespace';
/** A task counts as running once it stayed so this long: a command that exits at once does not. */
const STABLE_MS = 250;
const CLI_TIMEOUT_MS = 30_000;
const LOG_TAIL_LINES = 20;
async function readStack(stack) {
    for (const file of stack.files) {
        await (0,promises_.access)(file).catch(() => {
            throw new Error(`input \`stack\`: cannot read the compose file ${file} (from ${process.cwd()})`);
        });
    }
    // The CLI's own loader merges and interpolates the files as deploy will, without any engine.
    const config = await (0,docker_cli/* runnerDocker */.tL)()(['stack', 'config', ...stack.files.flatMap((file) => ['--compose-file', file])], {
        allowFailure: true,
        timeoutMs: CLI_TIMEOUT_MS
    });
    if (config.code !== 0)
        throw new Error(`input \`stack\`: the compose files do not load: ${config.stderr.trim() || config.stdout.trim()}`);
    const merged = ((0,dist/* parse */.qg)(config.stdout) ?? {});
    if (Object.keys(merged.services ?? {}).length === 0)
        throw new Error(`input \`stack\`: ${stack.files.join(', ')} define no service`);
    return { ...stack, services: merged.services, version: merged.version };
}
/** The stack's plan: its services, and the images the action pins. */
function planStack(read, images) {
    return { ...read, services: Object.keys(read.services), pins: pinnedImages(read.services, images) };
}
/**
 * Services whose image is one the action loads run it by the ID it has on the nodes: a node then
 * never asks a registry for it (with a name, each task's start tries to pull first, and a registry
 * image of the same name would win). The nodes' ID, not the runner's: a store of another kind counts
 * IDs otherwise (engine/image-identity.ts). Here each service is mapped to its image's reference in \`images\`.
 */
function pinnedImages(services, images) {
    const references = new Map(images.map((image) => [(0,reference/* fullReference */.P)(image.reference), image.reference]));
    return Object.fromEntries(Object.entries(services)
        .filter(([, service]) => service.image && references.has((0,reference/* fullReference */.P)(service.image)))
        .map(([name, service]) => [name, references.get((0,reference/* fullReference */.P)(service.image))]));
}
/** Deploys the stack through the first manager, then waits until every service converged. */
async function deployStack(plan, options) {
    const leader = options.members[0];
    const docker = (0,docker_cli/* nodeDocker */.Dd)(leader.dockerHost, options.client);
    const files = [...plan.files];
    const pins = Object.entries(plan.pins).flatMap(([service, reference]) => options.imageIds[reference] ? [[service, options.imageIds[reference]]] : []);
    if (pins.length) {
        const pinsFile = external_node_path_default().join(options.dir, 'stack-images.yml');
        const services = Object.fromEntries(pins.map(([service, id]) => [service, { image: id }]));
        await (0,promises_.writeFile)(pinsFile, JSON.stringify({ ...(plan.version ? { version: plan.version } : {}), services }, null, 2));
        files.push(pinsFile);
        core/* info */.pq(`by image ID, so that no node asks a registry: ${pins.map(([service]) => service).join(', ')}`);
    }
    const started = Date.now();
    // --resolve-image never: the CLI asks no registry for a digest either. --prune: a redeploy into a
    // kept swarm removes the services the compose files no longer have.
    const deploy = await docker(['stack', 'deploy', '--prune', '--resolve-image', 'never', ...files.flatMap((file) => ['--compose-file', file]), plan.name], {
        allowFailure: true,
        timeoutMs: Math.max(1000, Math.min(options.deadline.remainingMs(), 120_000))
    });
    if (deploy.code !== 0)
        throw new Error(`docker stack deploy ${plan.name} failed: ${deploy.stderr.trim() || deploy.stdout.trim()}`);
    core/* info */.pq(deploy.stdout.trim());
    const deployed = Date.now();
    const tls = await (0,engine_tls/* readClientTls */.Z$)(options.client);
    const manager = new api/* Engine */.N$(leader.dockerHost, tls);
    try {
        const { services, progress } = await waitForConvergence(plan, manager, docker, options.deadline);
        const outputs = services.map((service) => serviceOutput(service, progress.get(service.ID), options.members));
        const took = (from) => ((Date.now() - from) / 1000).toFixed(2);
        core/* info */.pq(`stack ${plan.name} converged: ${describeProgress([...progress.values()])} (deployed in ${((deployed - started) / 1000).toFixed(2)} s, converged ${took(deployed)} s later)`);
        return outputs;
    }
    finally {
        manager.close();
    }
}
async function waitForConvergence(plan, manager, docker, deadline) {
    const expected = plan.services.map((service) => `${plan.name}_${service}`);
    const firstSeenRunning = new Map();
    let services = [];
    let progress = new Map();
    const converging = () => [...progress.values()].filter((service) => !service.converged);
    const missing = () => expected.filter((name) => !services.some((service) => service.Spec.Name === name));
    try {
        await (0,wait/* pollUntil */.g3)(deadline, `the services of stack ${plan.name} to converge`, async () => {
            services = await manager.services({ label: [`${STACK_LABEL}=${plan.name}`] });
            const tasks = services.length ? await manager.tasks({ service: services.map((service) => service.ID) }) : [];
            const now = Date.now();
            progress = new Map(services.map((service) => [service.ID, serviceProgress(service, tasks, firstSeenRunning, now, STABLE_MS)]));
            if (converging().some(givenUp))
                throw new wait/* GiveUp */.l0('a service keeps failing');
            return missing().length === 0 && converging().length === 0;
        }, {
            intervalMs: 100,
            progressEveryMs: 3000,
            describe: () => [describeProgress(converging()), missing().length ? `not created yet: ${missing().join(', ')}` : ''].filter(Boolean).join('; ')
        });
    }
    catch (error) {
        const stuck = converging();
        const failing = stuck.filter(givenUp);
        const named = failing.length ? failing : stuck;
        const reason = failing.length ? 'keeps failing' : 'did not converge';
        const details = await Promise.all(named.map((service) => serviceReport(service, docker, reason)));
        const cause = failing.length ? '' : ` (${error.message})`;
        throw new Error(`stack ${plan.name}: ${named.map((service) => service.name).join(', ') || missing().join(', ')} ${reason}${cause}\n${details.join('\n')}`.trim(), { cause: error });
    }
    return { services, progress };
}
/** What `docker service ps --no-trunc` and the end of `docker service logs` say about one service. */
async function serviceReport(service, docker, reason) {
    const say = async (args) => {
        const result = await docker(args, { allowFailure: true, timeoutMs: CLI_TIMEOUT_MS }).catch((error) => ({
            stdout: '',
            stderr: error.message
        }));
        return `${result.stdout}${result.stderr}`.trim() || '(nothing)';
    };
    const [ps, logs] = await Promise.all([
        say(['service', 'ps', '--no-trunc', service.name]),
        say(['service', 'logs', '--no-trunc', '--timestamps', '--tail', String(LOG_TAIL_LINES), service.name])
    ]);
    return [
        `service ${service.name} ${reason}: ${service.running}/${service.desired} running, ${service.failed} failed${service.lastError ? `; last error: ${service.lastError}` : ''}`,
        `docker service ps --no-trunc ${service.name}:`,
        ps,
        `last ${LOG_TAIL_LINES} log lines of ${service.name}:`,
        logs
    ].join('\n');
}
function serviceOutput(service, progress, members) {
    const ipOf = new Map(members.map((member) => [member.id, member.ip]));
    const specPorts = service.Spec.EndpointSpec?.Ports ?? [];
    // The routing mesh assigns a published port when the spec has none: the endpoint has it then.
    const ports = (service.Endpoint?.Ports?.length ? service.Endpoint.Ports : specPorts).map((port) => {
        const mode = port.PublishMode ?? 'ingress';
        const ips = mode === 'host' ? progress.nodeIds.map((id) => ipOf.get(id)).filter((ip) => Boolean(ip)) : members.map((m) => m.ip);
        const addresses = port.PublishedPort ? ips.map((ip) => `${ip}:${port.PublishedPort}`) : [];
        return { protocol: port.Protocol ?? 'tcp', target: port.TargetPort ?? 0, published: port.PublishedPort, mode, address: addresses[0], addresses };
    });
    return {
        name: service.Spec.Name,
        mode: progress.mode,
        replicas: progress.desired,
        running: progress.running,
        image: service.Spec.TaskTemplate.ContainerSpec?.Image ?? '',
        ports
    };
}

;// CONCATENATED MODULE: ./src/main.ts















async function runMain(driverFor) {
    const timings = [];
    const phase = (title, work) => core/* group */.Os(title, async () => {
        const started = Date.now();
        try {
            return await work();
        }
        finally {
            timings.push({ phase: title, seconds: (Date.now() - started) / 1000 });
        }
    });
    let swarm;
    let title = 'setup-swarm';
    let createdAnything = false;
    let diagnostics = false;
    let keptCluster = false;
    // Once nodes exist: what diagnostics (here on a failure, or in a later step) need to find them.
    let record;
    let services;
    try {
        const inputs = await phase('Reading inputs', () => Promise.resolve((0,src_inputs/* parseInputs */.TL)()));
        // Whose cluster this is: recorded when it is made, and checked before a kept one is used.
        const owner = (0,state_owner/* currentOwner */.Hf)();
        diagnostics = inputs.diagnostics;
        const driver = await driverFor(inputs.driver);
        title = `Swarm ${inputs.name} (${inputs.driver})`;
        const kept = !inputs.cleanup;
        keptCluster = kept;
        const dir = (0,cluster/* clusterDir */._O)(inputs.name, kept);
        let images = [];
        let stack;
        await phase('Checking the runner', async () => {
            (0,docker_cli/* requireDockerCli */.w4)();
            if (!kept && (0,external_node_fs_.existsSync)(dir)) {
                throw new Error(`a cluster named "${inputs.name}" already exists on this runner (${dir}); give each setup-swarm step its own \`name\``);
            }
            // A missing image or a broken compose file fails here, before anything is created. The checks
            // run side by side; the driver's error, which the user fixes first, is the one reported.
            const [, found, read] = await (0,wait/* allSettledInOrder */.WF)([
                driver.preflight(inputs),
                inputs.images.length ? (0,workload_images/* findRunnerImages */.uf)(inputs.images) : Promise.resolve([]),
                inputs.stack ? readStack(inputs.stack) : Promise.resolve(undefined)
            ]);
            images = found;
            stack = read && planStack(read, images);
        });
        const found = kept ? await phase(`Looking for a kept cluster named ${inputs.name}`, () => findKeptCluster(inputs, owner, driver, dir)) : undefined;
        const deadline = new wait/* Deadline */.B2(inputs.timeoutSeconds, `${inputs.timeoutSeconds} s to create and form the swarm`);
        const workDeadline = new wait/* Deadline */.B2(inputs.timeoutSeconds, `${inputs.timeoutSeconds} s to load the images and converge the stack`);
        let client;
        let state;
        let loading;
        if (found) {
            const reused = await phase(`Checking kept swarm ${inputs.name}`, () => reuseCluster(inputs, owner, found, dir, deadline));
            ({ state, client, swarm, record } = reused);
            (0,cluster/* saveState */.LZ)(state);
            await (0,state_record/* writeClusterRecord */.ns)(reused.record);
            core/* info */.pq(`reusing kept swarm ${inputs.name}: every node answers and is Ready`);
            await driver
                .renewKept?.(inputs)
                .catch((error) => core/* warning */.$e(`kept swarm ${inputs.name}: could not renew its expiry (\`ttl\`): ${error.message}. The sweep removes it once its old expiry has passed; until then it works as before`));
            loading = images.length ? (0,workload_images/* loadImages */.z6)(swarm.members, images, client, workDeadline) : undefined;
            loading?.catch(() => undefined); // awaited below
        }
        else {
            const made = await createCluster({
                inputs,
                owner,
                driver,
                dir,
                images,
                deadline,
                workDeadline,
                phase,
                stackName: stack?.name,
                onStarted: () => (createdAnything = true),
                onRecord: (made) => (record = made)
            });
            ({ state, client, swarm, loading } = made);
        }
        writeOutputs(inputs.name, swarm, client, inputs.exportEnv);
        core/* info */.pq(`swarm ${inputs.name} is ready: ${swarm.members.map((m) => `${m.name} (${m.role}, ${m.ip})`).join(', ')}`);
        const pending = loading;
        const loaded = pending && (await phase(`Loading ${images.length} image(s) into ${swarm.members.length} node(s)`, () => pending));
        const imageIds = loaded ? loaded.nodeIds : {};
        if (stack) {
            const plan = stack;
            const members = swarm.members;
            services = await phase(`Deploying stack ${plan.name}`, () => deployStack(plan, { members, client, dir: state.dir, deadline: workDeadline, imageIds }));
            core/* setOutput */.uH('services', JSON.stringify(services));
        }
    }
    catch (error) {
        core/* setFailed */.C1(`${error.message}${afterFailure(createdAnything, keptCluster)}`);
        if (record && diagnostics) {
            await runDiagnostics(record, await driverFor(record.driver), {
                reason: `Main failed: ${error.message.split('\n')[0]}`,
                secrets: swarm ? [swarm.workerToken, swarm.managerToken] : []
            });
        }
    }
    finally {
        await writeSummary(title, swarm, timings, services).catch((error) => core/* warning */.$e(`could not write the job summary: ${error.message}`));
    }
}
/** What happens to what main made, after it failed. */
function afterFailure(createdAnything, kept) {
    if (!createdAnything)
        return '';
    if (kept)
        return '\nThe cluster is kept (`cleanup: false`): a later run with the same `name` reuses it once healthy; destroy it by name (setup-swarm/destroy) otherwise.';
    return '\nThe post step removes whatever was created.';
}


/***/ }),

/***/ 65303:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cf: () => (/* binding */ waitForReady),
/* harmony export */   Vz: () => (/* binding */ joinAddress),
/* harmony export */   XG: () => (/* binding */ SWARM_PORT),
/* harmony export */   eq: () => (/* binding */ CLUSTER_LABEL),
/* harmony export */   j7: () => (/* binding */ PORTS_HINT)
/* harmony export */ });
/* harmony import */ var _tools_wait_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(15874);

// A swarm as main hands it on: its members, where they join, the label that names its cluster, and
// the wait until every node is Ready, shared by a new swarm's formation and a kept one's attach.
const SWARM_PORT = 2377;
const PORTS_HINT = 'the nodes must reach each other on 2377/tcp (cluster management), 7946/tcp+udp (node communication) and 4789/udp (overlay traffic)';
/**
 * The swarm's own label naming its cluster: a later run that reuses the cluster, or a destroy by
 * name, tells it apart from any other swarm the same hosts could be in.
 */
const CLUSTER_LABEL = 'setup-swarm.cluster';
/** Where nodes join: the first manager, which initialises the swarm. */
const joinAddress = (leader) => `${leader.advertiseIp}:${SWARM_PORT}`;
async function waitForReady(nodes, ids, manager, deadline) {
    let listed = new Map();
    const notReady = () => nodes
        .filter((_, i) => {
        const entry = listed.get(ids[i]);
        return !entry || entry.Status.State !== 'ready' || (entry.Spec.Role === 'manager' && entry.ManagerStatus?.Reachability !== 'reachable');
    })
        .map((node) => node.name);
    await (0,_tools_wait_js__WEBPACK_IMPORTED_MODULE_0__/* .pollUntil */ .g3)(deadline, 'every node to be Ready', async () => {
        listed = new Map((await manager.nodes()).map((entry) => [entry.ID, entry]));
        return notReady().length === 0;
    }, { intervalMs: 200, describe: () => `not ready yet: ${notReady().join(', ')}; ${PORTS_HINT}` });
    return listed;
}


/***/ })

};
