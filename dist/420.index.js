export const id = 420;
export const ids = [420];
export const modules = {

/***/ 12876:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CH: () => (/* binding */ runnerSave),
/* harmony export */   Dd: () => (/* binding */ nodeDocker),
/* harmony export */   tL: () => (/* binding */ runnerDocker)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _command_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51274);
/* harmony import */ var _swarm_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(13695);



// The docker CLI, pointed either at the runner's own engine or at one node of the swarm.
/**
 * The step's environment as it was when the action started. Main exports DOCKER_HOST (and the TLS
 * variables) for later steps into its own process.env too; the runner's engine, where the job built
 * its images, is whatever the docker CLI reached before that (/var/run/docker.sock on GitHub).
 */
const STEP_ENV = { ...process.env };
/** Variables that pick an engine: a node's CLI gets its engine from flags, never from these. */
const ENGINE_VARIABLES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS'];
/** The docker CLI as the step's environment sets it up: the runner's own engine. */
function runnerDocker() {
    const docker = (0,_swarm_js__WEBPACK_IMPORTED_MODULE_2__/* .requireDockerCli */ .w4)();
    return (args, options = {}) => (0,_command_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .eF)(docker, args, { env: STEP_ENV, timeoutMs: options.timeoutMs, allowFailure: options.allowFailure });
}
/** `docker save` of the runner's images as a stream: read once, fanned out to every node. */
function runnerSave(images) {
    const platform = images.find((image) => image.savePlatform)?.savePlatform;
    const args = ['save', ...(platform ? ['--platform', platform] : []), ...images.map((image) => image.reference)];
    return (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)((0,_swarm_js__WEBPACK_IMPORTED_MODULE_2__/* .requireDockerCli */ .w4)(), args, { env: STEP_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
}
/**
 * The docker CLI against one node, over mutual TLS with the run's client certificate. The user's
 * DOCKER_CONFIG is left out (a context or credential helper there would pick another engine); the
 * rest of the step's environment stays, as a compose file's `${VARIABLES}` come from it.
 */
function nodeDocker(dockerHost, client) {
    const docker = (0,_swarm_js__WEBPACK_IMPORTED_MODULE_2__/* .requireDockerCli */ .w4)();
    const flags = ['--host', dockerHost, '--tlsverify', '--tlscacert', client.ca, '--tlscert', client.cert, '--tlskey', client.key];
    const env = Object.fromEntries(Object.entries(STEP_ENV).filter(([key]) => !ENGINE_VARIABLES.includes(key)));
    env.DOCKER_CONFIG = client.dir;
    return (args, options = {}) => (0,_command_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .eF)(docker, [...flags, ...args], { env, timeoutMs: options.timeoutMs, allowFailure: options.allowFailure });
}


/***/ }),

/***/ 97391:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  uf: () => (/* binding */ findRunnerImages),
  z6: () => (/* binding */ loadImages),
  k2: () => (/* binding */ startSave)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./src/docker-cli.ts
var docker_cli = __webpack_require__(12876);
// EXTERNAL MODULE: ./src/engine.ts
var engine = __webpack_require__(90825);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/image-identity.ts

/** The image's identity: equal for one image in any store, different when anything it runs differs. */
function imageIdentity(image) {
    const described = {
        created: image.Created ?? '',
        platform: [image.Os, image.Architecture, image.Variant].filter(Boolean).join('/'),
        layers: image.RootFS?.Layers ?? [],
        config: withoutEmpty(image.Config ?? {})
    };
    return `identity:${(0,external_node_crypto_.createHash)('sha256').update(canonicalJson(described)).digest('hex')}`;
}
/**
 * The config without what stores report differently for the same image: empty values (older
 * engines list every field, newer ones leave empty ones out) and `Image`, where the classic builder
 * kept its parent's ID, which the containerd store does not report.
 */
function withoutEmpty(config) {
    return Object.fromEntries(Object.entries(config).filter(([key, value]) => key !== 'Image' && !isEmpty(value)));
}
function isEmpty(value) {
    if (value === null || value === undefined || value === '' || value === false)
        return true;
    if (Array.isArray(value))
        return value.length === 0;
    return typeof value === 'object' && Object.keys(value).length === 0;
}
/** JSON with object keys sorted at every level: one text for one value. */
function canonicalJson(value) {
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    if (value && typeof value === 'object') {
        const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
    }
    return JSON.stringify(value);
}

// EXTERNAL MODULE: ./src/tls.ts
var src_tls = __webpack_require__(70098);
;// CONCATENATED MODULE: ./src/images.ts






/** A stalled load (no byte either way for this long) is an error; a slow one is not. */
const LOAD_IDLE_MS = 60_000;
const INSPECT_TIMEOUT_MS = 30_000;
const CONTAINERD_STORE = 'io.containerd.snapshotter.v1';
/** Every image on the runner's engine; fails naming each missing one, before anything is created. */
async function findRunnerImages(references) {
    const docker = (0,docker_cli/* runnerDocker */.tL)();
    const inspect = (args) => docker(args, { allowFailure: true, timeoutMs: INSPECT_TIMEOUT_MS });
    const [found, store] = await Promise.all([
        Promise.all(references.map(async (reference) => {
            const result = await inspect(['image', 'inspect', '--format', '{{json .}}', reference]);
            return { reference, inspected: result.code === 0 ? JSON.parse(result.stdout) : undefined, error: result.stderr.trim() };
        })),
        inspect(['info', '--format', '{{json .DriverStatus}}'])
    ]);
    const unreachable = found.find((image) => !image.inspected && /cannot connect to the docker daemon|error during connect|permission denied while trying to connect/i.test(image.error));
    if (unreachable) {
        throw new Error(`input \`images\`: the runner's Docker engine does not answer (${unreachable.error.split('\n').pop()}); the images are read from the engine the docker CLI reaches in this step (DOCKER_HOST or /var/run/docker.sock)`);
    }
    const missing = found.filter((image) => !image.inspected);
    if (missing.length) {
        throw new Error(`input \`images\`: ${missing.map((image) => `"${image.reference}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on the runner's Docker engine; build or pull ${missing.length === 1 ? 'it' : 'them'} in an earlier step of the job`);
    }
    const savePlatform = store.stdout.includes(CONTAINERD_STORE) ? await runnerPlatform() : undefined;
    return found.map(({ reference, inspected }) => ({ reference, id: inspected.Id, identity: imageIdentity(inspected), savePlatform }));
}
/** The runner engine's own platform (`linux/amd64`): the one its images run on, and the nodes'. */
async function runnerPlatform() {
    const version = await (0,docker_cli/* runnerDocker */.tL)()(['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'], { timeoutMs: INSPECT_TIMEOUT_MS });
    return version.stdout.trim();
}
/**
 * Starts `docker save` of every image now: the runner's engine stages the whole export before it
 * writes a byte, which can overlap the start of the engines that will read it (the pipe holds the
 * rest back). `loadImages` takes it over, or ends it when no node needs all of them.
 */
function startSave(images) {
    const save = (0,docker_cli/* runnerSave */.CH)(images);
    save.on('error', () => undefined); // reported where the stream is read
    return save;
}
/**
 * Loads the images into every node that does not hold the same image ID yet, all nodes at once.
 * `early`: a save of every image, started beforehand (see startSave).
 */
async function loadImages(nodes, images, client, deadline, early) {
    const started = Date.now();
    const tls = await (0,src_tls/* readClientTls */.Z$)(client);
    const engines = nodes.map((node) => new engine/* Engine */.N$(node.dockerHost, tls));
    let save;
    try {
        const holdings = await Promise.all(engines.map((engine) => imagesHeld(engine, images)));
        const lacking = holdings.map((held) => images.filter((_, i) => !held[i]));
        const targets = nodes.map((node, i) => ({ node, engine: engines[i], lacking: lacking[i] })).filter((target) => target.lacking.length);
        const skipped = nodes.filter((_, i) => lacking[i].length === 0).map((node) => node.name);
        if (skipped.length)
            core/* info */.pq(`already holding every image (same image), skipped: ${skipped.join(', ')}`);
        // One save of every image some node lacks: a node lacking only some of them loads the rest again,
        // which costs it little, while the runner's engine is read once.
        const needed = images.filter((image) => targets.some((target) => target.lacking.includes(image)));
        if (targets.length === 0)
            return { loaded: [], skipped, bytes: 0, seconds: (Date.now() - started) / 1000, nodeIds: agreedIds(images, holdings) };
        core/* info */.pq(`loading ${needed.map((image) => image.reference).join(', ')} into ${targets.map((target) => target.node.name).join(', ')}`);
        const platform = needed[0].savePlatform;
        if (platform)
            core/* info */.pq(`the runner's engine keeps images in the containerd store: saved for ${platform} only, the platform of its nodes`);
        save = early && needed.length === images.length ? early : (0,docker_cli/* runnerSave */.CH)(needed);
        const bytes = await streamToAll(save, needed.map((image) => image.reference), targets.map((target) => target.engine), deadline);
        // A tag that moved on the runner meanwhile, or a load that kept an older image: the identities tell.
        const after = await Promise.all(engines.map((engine, i) => (lacking[i].length ? imagesHeld(engine, images) : Promise.resolve(holdings[i]))));
        const wrong = nodes
            .filter((_, i) => after[i].some((id) => !id))
            .map((node) => node.name)
            .join(', ');
        if (wrong)
            throw new Error(`after loading, ${wrong} still lack an image the same as the runner's; did an image change on the runner meanwhile?`);
        const seconds = (Date.now() - started) / 1000;
        core/* info */.pq(`loaded ${needed.length} image(s), ${(bytes / 1e6).toFixed(1)} MB read once from the runner's engine, into ${targets.length} node(s) in ${seconds.toFixed(2)} s`);
        return { loaded: targets.map((target) => target.node.name), skipped, bytes, seconds, nodeIds: agreedIds(images, after) };
    }
    finally {
        for (const engine of engines)
            engine.close();
        // An early save nobody read, or a save cut short by an error: nothing of it outlives the load.
        for (const saving of [early, save])
            if (saving && saving.exitCode === null)
                saving.kill('SIGKILL');
    }
}
/** For each image, the node's own ID of it where the node holds the same image, else undefined. */
async function imagesHeld(engine, images) {
    const inspected = await Promise.all(images.map((image) => engine.imageInspect(image.reference)));
    return images.map((image, i) => (inspected[i] && imageIdentity(inspected[i]) === image.identity ? inspected[i].Id : undefined));
}
/** Reference → the ID that every node holds the image under; nodes of different stores disagree. */
function agreedIds(images, holdings) {
    return Object.fromEntries(images.flatMap((image, i) => {
        const ids = new Set(holdings.map((held) => held[i]));
        const [id] = ids;
        return ids.size === 1 && id ? [[image.reference, id]] : [];
    }));
}
/** `docker save` once, its stream copied to every engine's load; returns the bytes read. */
async function streamToAll(save, references, engines, deadline) {
    let bytes = 0;
    let stderr = '';
    let timedOut = false;
    save.stdout.on('data', (chunk) => (bytes += chunk.length));
    save.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => {
        if (save.exitCode !== null)
            return resolve(save.exitCode);
        save.on('error', (error) => ((stderr += error.message), resolve(null)));
        save.on('close', (code) => resolve(code));
    });
    // Past the deadline the save is killed: every load then ends with a cut stream.
    const timer = setTimeout(() => ((timedOut = true), save.kill('SIGKILL')), Math.max(1000, deadline.remainingMs()));
    try {
        let reading = engines.length;
        const loads = engines.map((engine) => {
            // Each node its own copy of the stream; the slowest sets the pace (pipe's backpressure).
            const copy = new external_node_stream_.PassThrough({ highWaterMark: 1 << 20 });
            save.stdout.pipe(copy);
            return engine.loadImages(copy, LOAD_IDLE_MS).catch((error) => {
                // A node that failed no longer reads: unhook it, or its full buffer would stall the others.
                save.stdout.unpipe(copy);
                copy.resume();
                // With no node left reading, drain the save so that it ends instead of blocking.
                if (--reading === 0)
                    save.stdout.resume();
                throw error;
            });
        });
        const [code, results] = await Promise.all([exited, Promise.allSettled(loads)]);
        if (timedOut)
            throw new Error(`loading the images did not finish within the \`timeout\` (${deadline.what})`);
        if (code !== 0)
            throw new Error(`docker save ${references.join(' ')} on the runner failed (exit ${code}): ${stderr.trim()}`);
        const failed = results.flatMap((result) => (result.status === 'rejected' ? [result.reason.message] : []));
        if (failed.length)
            throw new Error(`loading the images failed: ${failed.join('; ')}`);
        return bytes;
    }
    finally {
        clearTimeout(timer);
    }
}


/***/ }),

/***/ 6420:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/cluster-owner.ts
var cluster_owner = __webpack_require__(15831);
// EXTERNAL MODULE: ./src/cluster-record.ts
var cluster_record = __webpack_require__(54659);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/state.ts
var src_state = __webpack_require__(2462);
// EXTERNAL MODULE: ./src/tls.ts
var src_tls = __webpack_require__(70098);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/docker-cli.ts
var docker_cli = __webpack_require__(12876);
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
                client: (0,src_tls/* clientCertDir */.XQ)((0,src_state/* clusterPaths */.bo)(record.state.dir).clientCerts),
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

// EXTERNAL MODULE: ./src/images.ts + 1 modules
var src_images = __webpack_require__(97391);
// EXTERNAL MODULE: ./src/swarm.ts
var src_swarm = __webpack_require__(13695);
;// CONCATENATED MODULE: ./src/create-cluster.ts





async function createCluster(options) {
    const { inputs, driver, phase, deadline } = options;
    // From here on things exist: the state names each before it is created.
    const state = { name: inputs.name, driver: inputs.driver, cleanup: inputs.cleanup, dir: options.dir, owner: options.owner };
    // Names other runs could take too come first: nothing of the cluster is recorded or written before they are this run's.
    await driver.claim?.(inputs, state, () => (0,src_state/* saveState */.LZ)(state));
    (0,src_state/* saveState */.LZ)(state);
    options.onStarted();
    await (0,src_tls/* makePrivateDir */.hI)(state.dir);
    const paths = (0,src_state/* clusterPaths */.bo)(state.dir);
    const tls = await phase('Creating certificates', () => (0,src_tls/* prepareRunTls */.Au)(paths.clientCerts, paths.ca, inputs.tls));
    const onInitialised = (identity) => {
        state.swarm = identity;
        (0,src_state/* saveState */.LZ)(state);
    };
    const managers = inputs.nodes.filter((node) => node.role === 'manager').length;
    const formation = await src_swarm/* SwarmFormation */.WF.start(inputs.nodes[0].name, {
        name: inputs.name,
        managers,
        initOpts: inputs.swarmInitOpts,
        client: tls.client,
        deadline,
        onInitialised
    });
    try {
        const nodeReady = (node, seen) => formation.add(node, seen?.engineAnswers);
        const context = { inputs, state, saveState: () => (0,src_state/* saveState */.LZ)(state), tls, deadline, images: options.images, nodeReady };
        if (driver.prepare)
            await phase(`Preparing the ${inputs.driver} driver`, () => driver.prepare(context));
        const nodes = await phase(`Creating ${managers} manager(s) and ${inputs.nodes.length - managers} worker(s) with driver ${inputs.driver}`, () => driver.create(inputs.nodes, context));
        const record = { name: inputs.name, driver: inputs.driver, state, nodes, stack: options.stackName };
        options.onRecord(record);
        await (0,cluster_record/* writeClusterRecord */.ns)(record);
        // The images go in while the swarm forms: loading needs the engines, not the swarm.
        const loading = options.images.length ? (0,src_images/* loadImages */.z6)(nodes, options.images, tls.client, options.workDeadline) : undefined;
        loading?.catch(() => undefined); // awaited by main, or settled before a formation failure is reported
        const swarm = await phase('Forming the swarm', () => formation.finish(nodes)).catch(async (error) => {
            await loading?.catch(() => undefined);
            throw error;
        });
        record.nodes = swarm.members;
        await (0,cluster_record/* writeClusterRecord */.ns)(record);
        return { state, client: tls.client, swarm, loading };
    }
    finally {
        await formation.close();
    }
}

// EXTERNAL MODULE: ./src/inputs.ts + 3 modules
var src_inputs = __webpack_require__(53415);
// EXTERNAL MODULE: ./src/engine.ts
var engine = __webpack_require__(90825);
// EXTERNAL MODULE: ./src/wait.ts
var wait = __webpack_require__(40910);
;// CONCATENATED MODULE: ./src/attach.ts




/** Engines that answer within this much of the deadline, or the cluster is not healthy. */
const ANSWER_MS = 30_000;
/**
 * Checks that every node's engine answers, that the first node manages a swarm labelled with this
 * cluster's name, and that every node (and no other) is a Ready member with the role it was made
 * with; then reads what the outputs need (the join tokens too, masked as they arrive).
 */
async function attachSwarm(name, nodes, tls, deadline) {
    const engines = nodes.map((node) => new engine/* Engine */.N$(node.dockerHost, tls));
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
        const label = inspected.Spec.Labels?.[src_swarm/* CLUSTER_LABEL */.eq];
        if (label !== name) {
            throw new Error(`the hosts of cluster "${name}" are in a swarm that is ${label ? `cluster "${label}"` : 'not one setup-swarm made'}; give its own \`name\`, or have the hosts leave it (\`docker swarm leave --force\`)`);
        }
        const ids = infos.map((info) => info.Swarm.NodeID);
        const listed = await (0,src_swarm/* waitForReady */.Cf)(nodes, ids, engines[0], deadline).catch((error) => {
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
        const managerAddress = (0,src_swarm/* joinAddress */.Vz)(leader);
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

;// CONCATENATED MODULE: ./src/reuse.ts








/**
 * The kept cluster named `inputs.name`, or undefined when there is none. A dir left by a kept
 * cluster that is gone (a self-hosted runner rebooted, or it was destroyed from another runner)
 * is removed, with whatever its record names, so that the cluster is made anew.
 */
async function findKeptCluster(inputs, owner, driver, dir) {
    if (!driver.findKept)
        return undefined;
    const record = await (0,cluster_record/* readClusterRecord */.CW)(dir);
    // Before anything else of it is read, used or removed.
    if (record)
        (0,cluster_owner/* checkOwner */.AA)(`kept cluster "${inputs.name}" (${dir})`, record.state.owner, owner);
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
        return (0,src_tls/* readClientTls */.Z$)({ dir: '', ca: caCert, cert: clientCert, key: clientKey }).catch((error) => {
            throw new Error(`inputs \`tls-ca-cert\`, \`tls-client-cert\`, \`tls-client-key\`: cannot read them: ${error.message}`, { cause: error });
        });
    }
    const own = (0,src_tls/* clientCertDir */.XQ)((0,src_state/* clusterPaths */.bo)(dir).clientCerts);
    return (0,external_node_fs_.existsSync)(own.key) ? (0,src_tls/* readClientTls */.Z$)(own) : undefined;
}
/** Checks the kept cluster's health and attaches to it; nothing is created on it, and post removes nothing. */
async function reuseCluster(inputs, owner, kept, dir, deadline) {
    await (0,src_tls/* makePrivateDir */.hI)(dir);
    const paths = (0,src_state/* clusterPaths */.bo)(dir);
    // The client certificate: from the tls-* inputs (a kept cluster on another runner), or the one kept here.
    const client = inputs.tls ? (await (0,src_tls/* prepareRunTls */.Au)(paths.clientCerts, paths.ca, inputs.tls)).client : (0,src_tls/* clientCertDir */.XQ)(paths.clientCerts);
    const { swarm, identity } = await attachSwarm(inputs.name, kept.nodes, await (0,src_tls/* readClientTls */.Z$)(client), deadline);
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

;// CONCATENATED MODULE: ./src/outputs.ts

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
;// CONCATENATED MODULE: ./src/convergence.ts
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

;// CONCATENATED MODULE: ./src/stack.ts









const STACK_LABEL = 'com.docker.stack.namespace';
/** A task counts as running once it stayed so this long: a command that exits at once does not. */
const STABLE_MS = 250;
const CLI_TIMEOUT_MS = 30_000;
const LOG_TAIL_LINES = 20;
/** Reads and checks the compose files before anything is created; plans the images the action pins. */
async function planStack(stack, images) {
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
    const services = Object.keys(merged.services ?? {});
    if (services.length === 0)
        throw new Error(`input \`stack\`: ${stack.files.join(', ')} define no service`);
    return { ...stack, services, pins: pinnedImages(merged.services ?? {}, images), version: merged.version };
}
/**
 * Services whose image is one the action loads run it by the ID it has on the nodes: a node then
 * never asks a registry for it (with a name, each task's start tries to pull first, and a registry
 * image of the same name would win). The nodes' ID, not the runner's: a store of another kind counts
 * IDs otherwise (image-identity.ts). Here each service is mapped to its image's reference in \`images\`.
 */
function pinnedImages(services, images) {
    const references = new Map(images.map((image) => [normalizeReference(image.reference), image.reference]));
    return Object.fromEntries(Object.entries(services)
        .filter(([, service]) => service.image && references.has(normalizeReference(service.image)))
        .map(([name, service]) => [name, references.get(normalizeReference(service.image))]));
}
/** `app` and `docker.io/library/app:latest` are one image. */
function normalizeReference(reference) {
    const short = reference.replace(/^(?:docker\.io|index\.docker\.io)\/(?:library\/)?/, '');
    const last = short.slice(short.lastIndexOf('/') + 1);
    return /[:@]/.test(last) || /^sha256:/.test(short) ? short : `${short}:latest`;
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
    const tls = await (0,src_tls/* readClientTls */.Z$)(options.client);
    const manager = new engine/* Engine */.N$(leader.dockerHost, tls);
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
        const owner = (0,cluster_owner/* currentOwner */.Hf)();
        diagnostics = inputs.diagnostics;
        const driver = await driverFor(inputs.driver);
        title = `Swarm ${inputs.name} (${inputs.driver})`;
        const kept = !inputs.cleanup;
        keptCluster = kept;
        const dir = (0,src_state/* clusterDir */._O)(inputs.name, kept);
        let images = [];
        let stack;
        await phase('Checking the runner', async () => {
            (0,src_swarm/* requireDockerCli */.w4)();
            if (!kept && (0,external_node_fs_.existsSync)(dir)) {
                throw new Error(`a cluster named "${inputs.name}" already exists on this runner (${dir}); give each setup-swarm step its own \`name\``);
            }
            await driver.preflight(inputs);
            // A missing image or a broken compose file fails here, before anything is created.
            images = inputs.images.length ? await (0,src_images/* findRunnerImages */.uf)(inputs.images) : [];
            stack = inputs.stack ? await planStack(inputs.stack, images) : undefined;
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
            (0,src_state/* saveState */.LZ)(state);
            await (0,cluster_record/* writeClusterRecord */.ns)(reused.record);
            core/* info */.pq(`reusing kept swarm ${inputs.name}: every node answers and is Ready`);
            await driver
                .renewKept?.(inputs)
                .catch((error) => core/* warning */.$e(`kept swarm ${inputs.name}: could not renew its expiry (\`ttl\`): ${error.message}. The sweep removes it once its old expiry has passed; until then it works as before`));
            loading = images.length ? (0,src_images/* loadImages */.z6)(swarm.members, images, client, workDeadline) : undefined;
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


/***/ })

};
