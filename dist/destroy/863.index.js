export const id = 863;
export const ids = [863];
export const modules = {

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

/***/ 18611:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _O: () => (/* binding */ clusterDir),
/* harmony export */   bo: () => (/* binding */ clusterPaths)
/* harmony export */ });
/* unused harmony exports keptRoot, saveState, loadState, markMainStarted, isPost */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(46058);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _inputs_names_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(85585);
/* harmony import */ var _owner_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9622);






/**
 * Where a cluster keeps its files. A removed cluster's go in RUNNER_TEMP, and post deletes them. A
 * kept one's (`cleanup: false`) must outlive the job, and the runner empties RUNNER_TEMP at the
 * start and end of every job: they go in keptRoot(), under this run's repository (GITHUB_REPOSITORY,
 * `owner/name`), so that two repositories' kept clusters of one name, on a runner that serves both
 * as one user, never share a directory.
 *
 * Whatever is later deleted recursively (destroy, post, a gone kept cluster) is this directory: it
 * is always a child of the root, for any caller, whatever its input said (a name such as `..`,
 * `.`, `a/b` or `/etc` is refused), and neither the root, nor the repository's directories under
 * it, nor the child may be a symbolic link.
 */
function clusterDir(name, kept = false) {
    (0,_inputs_names_js__WEBPACK_IMPORTED_MODULE_5__/* .checkClusterName */ .YN)(name);
    const root = kept ? keptRoot() : node_path__WEBPACK_IMPORTED_MODULE_3___default().join(process.env.RUNNER_TEMP || node_os__WEBPACK_IMPORTED_MODULE_2___default().tmpdir(), 'setup-swarm');
    // A kept cluster's dir is <root>/<owner>/<repository>/<name>.
    const levels = [...(kept ? (0,_owner_js__WEBPACK_IMPORTED_MODULE_4__/* .runRepository */ .Yk)().split('/') : []), name];
    let dir = root;
    refuseLink(root);
    for (const level of levels)
        refuseLink((dir = node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dir, level)));
    return dir;
}
/**
 * The action makes both the clusters' root and each cluster's dir itself, so a symbolic link there
 * was put by someone else. It is refused rather than followed or resolved with realpath: a kept
 * root linked to `/` would make the cluster named `etc` live in /etc, which destroy then deletes.
 * The directories above the root (XDG_STATE_HOME, HOME, /var/lib, RUNNER_TEMP) are the runner's,
 * and are taken as they are, links included (macOS's /tmp is one).
 */
function refuseLink(dir) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(dir, { throwIfNoEntry: false })?.isSymbolicLink())
        return;
    throw new Error(`${dir} is a symbolic link (to ${(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readlinkSync)(dir)}): setup-swarm keeps a cluster's files only in a directory of its own, never through a link; remove the link`);
}
/**
 * Where kept clusters live: `$XDG_STATE_HOME/setup-swarm` when it is set; for root
 * `/var/lib/setup-swarm` (state that outlives a job, as the FHS places a service's); for any other
 * user (a runner user with passwordless sudo) `~/.local/state/setup-swarm`, which that user owns
 * without sudo, so the client key in it stays theirs (0600) for the docker CLI of later steps, and
 * which a self-hosted runner keeps across jobs. A local cluster's engines (root) write their data there too.
 */
function keptRoot(env = process.env, uid = process.getuid?.() ?? -1) {
    if (env.XDG_STATE_HOME)
        return node_path__WEBPACK_IMPORTED_MODULE_3___default().join(env.XDG_STATE_HOME, 'setup-swarm');
    if (uid === 0)
        return '/var/lib/setup-swarm';
    return node_path__WEBPACK_IMPORTED_MODULE_3___default().join(env.HOME || node_os__WEBPACK_IMPORTED_MODULE_2___default().homedir(), '.local', 'state', 'setup-swarm');
}
/** The files every driver's cluster has under its dir; a driver adds its own beside them. */
function clusterPaths(dir) {
    return {
        /** The Docker client's ca.pem, cert.pem, key.pem: DOCKER_CERT_PATH. */
        clientCerts: node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dir, 'tls'),
        /** The run's CA key, apart from what later steps see. */
        ca: node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dir, 'ca')
    };
}
const CLUSTER_KEY = 'cluster';
/** Set by main as it starts: the one bundle runs post when the runner hands it back. */
const POST_KEY = 'isPost';
function saveState(state) {
    core.saveState(CLUSTER_KEY, JSON.stringify(state));
}
function loadState() {
    const text = core.getState(CLUSTER_KEY);
    return text ? JSON.parse(text) : undefined;
}
function markMainStarted() {
    core.saveState(POST_KEY, 'true');
}
function isPost() {
    return core.getState(POST_KEY) === 'true';
}


/***/ }),

/***/ 10388:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CW: () => (/* binding */ readClusterRecord)
/* harmony export */ });
/* unused harmony exports writeClusterRecord, clustersRoot, findCluster */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _inputs_names_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(85585);
/* harmony import */ var _cluster_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(18611);
/* harmony import */ var _owner_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9622);





const RECORD_FILE = 'cluster.json';
async function writeClusterRecord(record) {
    await writeFile(path.join(record.state.dir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
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
        if ((0,_inputs_names_js__WEBPACK_IMPORTED_MODULE_4__/* .checkClusterName */ .YN)(record.name) !== node_path__WEBPACK_IMPORTED_MODULE_1___default().basename(dir))
            throw new Error(`it names cluster "${record.name}"`);
        if (node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(record.state.dir) !== node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(dir))
            throw new Error(`it places the cluster in ${record.state.dir}`);
        (0,_inputs_names_js__WEBPACK_IMPORTED_MODULE_4__/* .checkDriverName */ .Cn)(record.driver);
        for (const node of record.nodes)
            (0,_inputs_names_js__WEBPACK_IMPORTED_MODULE_4__/* .checkMachineName */ .lB)(node.name, 'nodes');
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
async function findCluster(name, owner, step = 'diagnose') {
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
        throw new Error(`no cluster with nodes on this runner (${root})`);
    throw new Error(`${records.length} clusters on this runner (${records.map((record) => record.name).join(', ')}): give the ${step} step the \`name\` of one`);
}


/***/ }),

/***/ 58974:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K1: () => (/* binding */ privilegedArgv),
/* harmony export */   eF: () => (/* binding */ run),
/* harmony export */   jX: () => (/* binding */ isRoot),
/* harmony export */   oq: () => (/* binding */ findExecutable)
/* harmony export */ });
/* unused harmony exports CommandError, killRunningCommands */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



class CommandError extends Error {
    command;
    result;
    constructor(command, result) {
        const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n');
        super(`${command} failed (exit ${result.code})${detail ? `: ${detail}` : ''}`);
        this.command = command;
        this.result = result;
    }
}
const DEFAULT_TIMEOUT_MS = 60_000;
const isRoot = () => process.getuid?.() === 0;
/** The argv that runs `file args` as root. */
function privilegedArgv(file, args) {
    return isRoot() ? [file, args] : ['sudo', ['-n', '--', file, ...args]];
}
/** Commands still running: a cancel ends them, so nothing main started outlives it. */
const running = new Set();
function killRunningCommands() {
    for (const child of running)
        killGroup(child);
}
/** Each command leads its own process group, so that what it started (a driver plugin) ends with it. */
function killGroup(child) {
    try {
        process.kill(-child.pid, 'SIGKILL');
    }
    catch {
        child.kill('SIGKILL');
    }
}
async function run(file, args, options = {}) {
    const [command, argv] = options.privileged ? privilegedArgv(file, args) : [file, args];
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const shown = `${node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(file)} ${args[0] ?? ''}`.trim();
    const result = await new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(command, argv, {
            env: options.env ?? process.env,
            stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
            detached: process.platform !== 'win32'
        });
        // Our own timer, not spawn's `timeout`: that one outlives a command that could not start.
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            killGroup(child);
        }, timeoutMs);
        running.add(child);
        let stdout = '';
        let stderr = '';
        // Decoded as streams: a multi-byte character split across two chunks stays whole.
        child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
        child.on('error', (error) => {
            clearTimeout(timer);
            running.delete(child);
            reject(new Error(`cannot run ${shown}: ${error.message}`));
        });
        child.on('close', (code) => {
            clearTimeout(timer);
            running.delete(child);
            if (timedOut)
                return reject(new Error(`${shown} did not finish within ${timeoutMs / 1000} s and was killed`));
            resolve({ code: code ?? 1, stdout, stderr });
        });
        if (child.stdin) {
            // A command may exit before reading all of its input; its exit code tells what happened.
            child.stdin.on('error', () => undefined);
            child.stdin.end(options.input);
        }
    });
    if (result.code !== 0 && !options.allowFailure)
        throw new CommandError(shown, result);
    return result;
}
/** The absolute path of an executable on PATH (plus the sbin directories sudo users expect), or undefined. */
function findExecutable(name) {
    const dirs = [...(process.env.PATH ?? '').split((node_path__WEBPACK_IMPORTED_MODULE_2___default().delimiter)), '/usr/local/sbin', '/usr/sbin', '/sbin'];
    const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name];
    for (const candidate of dirs.filter(Boolean).flatMap((dir) => names.map((file) => node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, file)))) {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.accessSync)(candidate, node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.X_OK);
            return candidate;
        }
        catch {
            // not here
        }
    }
    return undefined;
}


/***/ }),

/***/ 15874:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B2: () => (/* binding */ Deadline),
/* harmony export */   g3: () => (/* binding */ pollUntil),
/* harmony export */   l0: () => (/* binding */ GiveUp),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony export allSettledInOrder */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(46058);

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


/***/ })

};
