export const id = 253;
export const ids = [253];
export const modules = {

/***/ 54659:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CW: () => (/* binding */ readClusterRecord),
/* harmony export */   ns: () => (/* binding */ writeClusterRecord)
/* harmony export */ });
/* unused harmony exports clustersRoot, findCluster */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _cluster_owner_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(15831);
/* harmony import */ var _input_names_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(74098);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2462);





const RECORD_FILE = 'cluster.json';
async function writeClusterRecord(record) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(record.state.dir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}
/** Where every cluster of this job keeps its dir (kept clusters are elsewhere: clusterDir). */
const clustersRoot = () => path.dirname(clusterDir('any'));
/**
 * The record in a cluster's dir, or undefined when there is none. What it says is used to read and
 * remove files and to run docker-machine, so a record that does not describe the dir it is in (its
 * name, its dir, its nodes' names) is refused: it was written by something else than main.
 */
async function readClusterRecord(dir) {
    const file = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dir, RECORD_FILE);
    const record = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(file, 'utf8')
        .then((text) => JSON.parse(text))
        .catch(() => undefined);
    if (!record)
        return undefined;
    try {
        if ((0,_input_names_js__WEBPACK_IMPORTED_MODULE_4__/* .checkClusterName */ .YN)(record.name) !== node_path__WEBPACK_IMPORTED_MODULE_1___default().basename(dir))
            throw new Error(`it names cluster "${record.name}"`);
        if (node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(record.state.dir) !== node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(dir))
            throw new Error(`it places the cluster in ${record.state.dir}`);
        (0,_input_names_js__WEBPACK_IMPORTED_MODULE_4__/* .checkDriverName */ .Cn)(record.driver);
        for (const node of record.nodes)
            (0,_input_names_js__WEBPACK_IMPORTED_MODULE_4__/* .checkMachineName */ .lB)(node.name, 'nodes');
    }
    catch (error) {
        throw new Error(`${file} is not the record of the cluster in ${dir}: ${error.message}; refusing it`, { cause: error });
    }
    return record;
}
/**
 * The cluster named `name` (this job's, or a kept one), or the only one of this job when no name is
 * given: `owner`'s only, as diagnostics read its nodes' logs into an artifact of the run's repository.
 */
async function findCluster(name, owner) {
    const ownedBy = (record) => (checkOwner(`cluster "${record.name}" (${record.state.dir})`, record.state.owner, owner), record);
    const root = clustersRoot();
    if (name) {
        const record = (await readClusterRecord(clusterDir(name))) ?? (await readClusterRecord(clusterDir(name, true)));
        if (record)
            return ownedBy(record);
        throw new Error(`no cluster named "${name}" on this runner (${clusterDir(name)}, ${clusterDir(name, true)}): was its setup-swarm step run in this job, and has its nodes?`);
    }
    const dirs = await readdir(root).catch(() => []);
    const records = (await Promise.all(dirs.map((dir) => readClusterRecord(path.join(root, dir)).catch(() => undefined)))).filter((record) => record !== undefined);
    if (records.length === 1)
        return ownedBy(records[0]);
    if (records.length === 0)
        throw new Error(`no cluster with nodes on this runner (${root}): nothing to collect`);
    throw new Error(`${records.length} clusters on this runner (${records.map((record) => record.name).join(', ')}): give the diagnose step the \`name\` of one`);
}


/***/ }),

/***/ 90825:
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
    nodes() {
        return this.call('GET', '/nodes');
    }
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

/***/ 13695:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cf: () => (/* binding */ waitForReady),
/* harmony export */   Vz: () => (/* binding */ joinAddress),
/* harmony export */   WF: () => (/* binding */ SwarmFormation),
/* harmony export */   eq: () => (/* binding */ CLUSTER_LABEL),
/* harmony export */   w4: () => (/* binding */ requireDockerCli)
/* harmony export */ });
/* unused harmony export SWARM_PORT */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _command_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51274);
/* harmony import */ var _engine_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(90825);
/* harmony import */ var _tls_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(70098);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(40910);





const SWARM_PORT = 2377;
/** How long workers wait at most for the managers to be in the swarm's raft before they join. */
const WORKERS_WAIT_MS = 1000;
const PORTS_HINT = 'the nodes must reach each other on 2377/tcp (cluster management), 7946/tcp+udp (node communication) and 4789/udp (overlay traffic)';
/**
 * The swarm's own label naming its cluster: a later run that reuses the cluster, or a destroy by
 * name, tells it apart from any other swarm the same hosts could be in.
 */
const CLUSTER_LABEL = 'setup-swarm.cluster';
/** Where nodes join: the first manager, which initialises the swarm. */
const joinAddress = (leader) => `${leader.advertiseIp}:${SWARM_PORT}`;
function requireDockerCli() {
    const docker = (0,_command_js__WEBPACK_IMPORTED_MODULE_1__/* .findExecutable */ .oq)('docker');
    if (!docker)
        throw new Error('the docker CLI is not installed on the runner; install it (e.g. `sudo apt-get install -y docker.io` or docker-ce-cli)');
    return docker;
}
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
        return new SwarmFormation(leaderName, await (0,_tls_js__WEBPACK_IMPORTED_MODULE_3__/* .readClientTls */ .Z$)(options.client), options);
    }
    /** A node whose engine exists: it initialises or joins the swarm in the background, once its engine answers. */
    add(node, engineAnswers = false) {
        if (this.engines.has(node.name))
            return;
        const engine = new _engine_js__WEBPACK_IMPORTED_MODULE_2__/* .Engine */ .N$(node.dockerHost, this.tls);
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
        const listed = await waitForReady(nodes, ids, this.engines.get(this.leaderName), this.options.deadline);
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
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(tokens.Worker);
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(tokens.Manager);
            await engine.updateSwarm(inspected.Version.Index, {
                ...inspected.Spec,
                Labels: { ...inspected.Spec.Labels, [CLUSTER_LABEL]: this.options.name }
            });
            const managerAddress = joinAddress(leader);
            this.options.onInitialised({ id, managerAddress });
            this.step('swarm initialised');
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`swarm initialised on ${leader.name} (${managerAddress}); the other nodes join as their engines answer`);
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
        const bound = new _wait_js__WEBPACK_IMPORTED_MODULE_4__/* .Deadline */ .B2(Math.min(WORKERS_WAIT_MS, this.options.deadline.remainingMs()) / 1000, 'the managers to join before the workers');
        await (0,_wait_js__WEBPACK_IMPORTED_MODULE_4__/* .pollUntil */ .g3)(bound, 'the managers to join', seated, { intervalMs: 25 }).then(() => this.step('every manager in the raft: the workers join'), () => this.step('the workers join without waiting longer for the managers'));
    }
    async noteNodeId(node, engine) {
        this.nodeIds.set(node.name, (await engine.info()).Swarm.NodeID);
    }
    step(what) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`${what} after ${Date.now() - this.started} ms`);
    }
}
async function waitForEngine(node, engine, deadline, stopped) {
    const answers = () => {
        // Main gave up (another node failed): stop waiting now.
        if (stopped())
            throw new _wait_js__WEBPACK_IMPORTED_MODULE_4__/* .GiveUp */ .l0(`the engine of ${node.name} was not waited for: the swarm's formation was stopped`);
        return engine.ping(2000);
    };
    await (0,_wait_js__WEBPACK_IMPORTED_MODULE_4__/* .pollUntil */ .g3)(deadline, `the engine of ${node.name} to answer`, answers, { intervalMs: 100 });
}
async function initSwarm(leader, options) {
    const { client } = options;
    const args = ['--host', leader.dockerHost, '--tlsverify', '--tlscacert', client.ca, '--tlscert', client.cert, '--tlskey', client.key];
    // The CLI's own output names the worker join token: it is captured, never printed.
    const result = await (0,_command_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .eF)(requireDockerCli(), [...args, 'swarm', 'init', '--advertise-addr', leader.advertiseIp, ...options.initOpts], {
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
            await engine.join({ ListenAddr: `0.0.0.0:${SWARM_PORT}`, AdvertiseAddr: `${node.advertiseIp}:${SWARM_PORT}`, ...join }, Math.max(1000, deadline.remainingMs()));
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
            await (0,_wait_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(500);
        }
    }
    throw new Error(`${node.name} (${node.advertiseIp}) could not join the swarm at ${join.RemoteAddrs[0]}: ${lastError || 'timed out'}; ${PORTS_HINT}`);
}
async function waitForReady(nodes, ids, manager, deadline) {
    let listed = new Map();
    const notReady = () => nodes
        .filter((_, i) => {
        const entry = listed.get(ids[i]);
        return !entry || entry.Status.State !== 'ready' || (entry.Spec.Role === 'manager' && entry.ManagerStatus?.Reachability !== 'reachable');
    })
        .map((node) => node.name);
    await (0,_wait_js__WEBPACK_IMPORTED_MODULE_4__/* .pollUntil */ .g3)(deadline, 'every node to be Ready', async () => {
        listed = new Map((await manager.nodes()).map((entry) => [entry.ID, entry]));
        return notReady().length === 0;
    }, { intervalMs: 200, describe: () => `not ready yet: ${notReady().join(', ')}; ${PORTS_HINT}` });
    return listed;
}


/***/ }),

/***/ 70098:
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

/***/ 40910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B2: () => (/* binding */ Deadline),
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


/***/ })

};
