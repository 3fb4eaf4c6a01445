export const id = 562;
export const ids = [562];
export const modules = {

/***/ 84562:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  localDriver: () => (/* binding */ localDriver)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var lib_core = __webpack_require__(46058);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/engine/tls.ts
var engine_tls = __webpack_require__(21907);
// EXTERNAL MODULE: ./src/tools/command.ts
var tools_command = __webpack_require__(58974);
;// CONCATENATED MODULE: ./src/tools/leftovers.ts

/** What a removal could not remove: each step is tried, a failure noted, and the next step still runs. */
class Leftovers {
    items = [];
    async attempt(what, action) {
        const started = Date.now();
        try {
            await action();
        }
        catch (error) {
            this.items.push(`${what}: ${error.message}`);
        }
        finally {
            lib_core/* debug */.Yz(`removing ${what} took ${Date.now() - started} ms`);
        }
    }
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./src/engine/api.ts
var api = __webpack_require__(76750);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
;// CONCATENATED MODULE: ./src/engine/containerd-export.ts


const LIST_TIMEOUT_MS = 10_000;
/**
 * Each image's containerd source, or why containerd cannot export them (then `docker save`
 * serves): `id` is the engine's image ID, in the containerd store the digest of the image's
 * manifest or index.
 */
async function containerd_export_containerdSources(images, containerd) {
    const names = images.map((image) => containerdName(image.reference));
    const unnamed = images.filter((_, i) => !names[i]).map((image) => image.reference);
    if (unnamed.length)
        return `${unnamed.join(', ')} not given as name:tag`;
    const ctr = findExecutable('ctr');
    if (!ctr)
        return "containerd's `ctr` is not on PATH";
    const [file, args] = privilegedArgv(ctr, ['--address', containerd.address, '--namespace', containerd.namespace, 'images', 'list']);
    const listed = await run(file, args, { allowFailure: true, timeoutMs: LIST_TIMEOUT_MS }).catch((error) => ({
        code: 1,
        stdout: '',
        stderr: error.message
    }));
    if (listed.code !== 0)
        return `\`ctr images list\` failed: ${listed.stderr.trim().split('\n').pop()}`;
    const digests = listedDigests(listed.stdout);
    const differing = images.filter((image, i) => digests.get(names[i]) !== image.id).map((image) => image.reference);
    if (differing.length)
        return `containerd at ${containerd.address} does not hold ${differing.join(', ')} as the engine does`;
    return names.map((name) => ({ ctr, ...containerd, name: name }));
}
/** The command that writes the images (one containerd's) for `platform` only, an OCI archive with Docker's manifest.json, to stdout. */
function containerdExportArgv(sources, platform) {
    const [{ ctr, address, namespace }] = sources;
    return (0,tools_command/* privilegedArgv */.K1)(ctr, [
        ...['--address', address, '--namespace', namespace],
        ...['images', 'export', '--platform', platform, '-', ...sources.map((source) => source.name)]
    ]);
}
/** The name containerd keeps the image under; undefined for an image ID (short ones too) or a reference by digest. */
function containerdName(reference) {
    const full = fullReference(reference);
    return full.startsWith('sha256:') || full.includes('@') || /^[0-9a-f]{12,64}$/.test(reference) ? undefined : full;
}
/** `ctr images list`: REF TYPE DIGEST SIZE PLATFORMS LABELS, a line each. */
function listedDigests(stdout) {
    const rows = stdout.split('\n').slice(1);
    return new Map(rows
        .map((row) => row.trim().split(/\s+/))
        .filter((fields) => fields.length >= 3)
        .map((fields) => [fields[0], fields[2]]));
}

;// CONCATENATED MODULE: ./src/engine/docker-cli.ts



// The docker CLI, pointed either at the runner's own engine or at one node of the swarm.
/**
 * The step's environment as it was when the action started. Main exports DOCKER_HOST (and the TLS
 * variables) for later steps into its own process.env too; the runner's engine, where the job built
 * its images, is whatever the docker CLI reached before that (/var/run/docker.sock on GitHub).
 */
const STEP_ENV = { ...process.env };
/** Variables that pick an engine: a node's CLI gets its engine from flags, never from these. */
const ENGINE_VARIABLES = (/* unused pure expression or super */ null && (['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS']));
/** The docker CLI's path on the runner; fails, saying how to install it, where there is none. */
function requireDockerCli() {
    const docker = (0,tools_command/* findExecutable */.oq)('docker');
    if (!docker)
        throw new Error('the docker CLI is not installed on the runner; install it (e.g. `sudo apt-get install -y docker.io` or docker-ce-cli)');
    return docker;
}
/** The docker CLI as the step's environment sets it up: the runner's own engine. */
function docker_cli_runnerDocker() {
    const docker = requireDockerCli();
    return (args, options = {}) => run(docker, args, { env: STEP_ENV, timeoutMs: options.timeoutMs, allowFailure: options.allowFailure });
}
/** What reads the images out of the runner's engine: containerd's own export where it can (containerd-export.ts), else `docker save`. */
function runnerExporter(images) {
    return images.every((image) => image.containerd) ? 'ctr images export' : 'docker save';
}
/** The runner's images as one archive stream (see runnerExporter), read once and fanned out to every node. */
function runnerSave(images) {
    // In the containerd store: for the runner's platform only, the nodes' (see RunnerImage.savePlatform).
    const platform = images.find((image) => image.savePlatform)?.savePlatform;
    const [file, args] = runnerExporter(images) === 'ctr images export'
        ? containerdExportArgv(images.map((image) => image.containerd), platform)
        : [requireDockerCli(), ['save', ...(platform ? ['--platform', platform] : []), ...images.map((image) => image.reference)]];
    return (0,external_node_child_process_.spawn)(file, args, { env: STEP_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
}
/**
 * The docker CLI against one node, over mutual TLS with the run's client certificate. The user's
 * DOCKER_CONFIG is left out (a context or credential helper there would pick another engine); the
 * rest of the step's environment stays, as a compose file's `${VARIABLES}` come from it.
 */
function nodeDocker(dockerHost, client) {
    const docker = requireDockerCli();
    const flags = ['--host', dockerHost, '--tlsverify', '--tlscacert', client.ca, '--tlscert', client.cert, '--tlskey', client.key];
    const env = Object.fromEntries(Object.entries(STEP_ENV).filter(([key]) => !ENGINE_VARIABLES.includes(key)));
    env.DOCKER_CONFIG = client.dir;
    return (args, options = {}) => run(docker, [...flags, ...args], { env, timeoutMs: options.timeoutMs, allowFailure: options.allowFailure });
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/engine/image-identity.ts

/** The image's identity: equal for one image in any store, different when anything it runs differs. */
function image_identity_imageIdentity(image) {
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

;// CONCATENATED MODULE: ./src/workload/images.ts







/** A stalled load (no byte either way for this long) is an error; a slow one is not. */
const LOAD_IDLE_MS = 60_000;
const INSPECT_TIMEOUT_MS = 30_000;
const CONTAINERD_STORE = 'io.containerd.snapshotter.v1';
/** Every image on the runner's engine; fails naming each missing one, before anything is created. */
async function findRunnerImages(references) {
    const docker = runnerDocker();
    const inspect = (args) => docker(args, { allowFailure: true, timeoutMs: INSPECT_TIMEOUT_MS });
    const [found, info, platform] = await Promise.all([
        Promise.all(references.map(async (reference) => {
            const result = await inspect(['image', 'inspect', '--format', '{{json .}}', reference]);
            return { reference, inspected: result.code === 0 ? JSON.parse(result.stdout) : undefined, error: result.stderr.trim() };
        })),
        inspect(['info', '--format', '{{json .}}']),
        // The runner engine's own platform (`linux/amd64`): the one its images run on, and the nodes'.
        inspect(['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'])
    ]);
    const unreachable = found.find((image) => !image.inspected && /cannot connect to the docker daemon|error during connect|permission denied while trying to connect/i.test(image.error));
    if (unreachable) {
        throw new Error(`input \`images\`: the runner's Docker engine does not answer (${unreachable.error.split('\n').pop()}); the images are read from the engine the docker CLI reaches in this step (DOCKER_HOST or /var/run/docker.sock)`);
    }
    const missing = found.filter((image) => !image.inspected);
    if (missing.length) {
        throw new Error(`input \`images\`: ${missing.map((image) => `"${image.reference}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on the runner's Docker engine; build or pull ${missing.length === 1 ? 'it' : 'them'} in an earlier step of the job`);
    }
    const images = found.map(({ reference, inspected }) => ({ reference, id: inspected.Id, identity: imageIdentity(inspected) }));
    const engine = info.code === 0 ? JSON.parse(info.stdout) : {};
    if (!engine.DriverStatus?.some(([, value]) => value === CONTAINERD_STORE))
        return images;
    if (platform.code !== 0)
        throw new Error(`the runner's Docker engine did not tell its platform (docker version): ${platform.stderr.trim()}; check that the docker CLI reaches it in this step`);
    const savePlatform = platform.stdout.trim();
    const containerd = engine.Containerd?.Address
        ? await containerdSources(images, { address: engine.Containerd.Address, namespace: engine.Containerd.Namespaces?.Containers ?? 'moby' })
        : 'the engine does not say where its containerd listens';
    if (typeof containerd === 'string')
        core.info(`exporting the images with \`docker save\`, not containerd's own export: ${containerd}`);
    return images.map((image, i) => ({ ...image, savePlatform, containerd: typeof containerd === 'string' ? undefined : containerd[i] }));
}
/**
 * Starts `docker save` of every image now: the runner's engine stages the whole export before it
 * writes a byte, which can overlap the start of the engines that will read it (the pipe holds the
 * rest back). `loadImages` takes it over, or ends it when no node needs all of them.
 */
function startSave(images) {
    const save = runnerSave(images);
    save.on('error', () => undefined); // reported where the stream is read
    return save;
}
/**
 * Loads the images into every node that does not hold the same image ID yet, all nodes at once.
 * `early`: a save of every image, started beforehand (see startSave).
 */
async function loadImages(nodes, images, client, deadline, early) {
    const started = Date.now();
    const tls = await (0,engine_tls/* readClientTls */.Z$)(client);
    const engines = nodes.map((node) => new api/* Engine */.N$(node.dockerHost, tls));
    let save;
    try {
        const holdings = await Promise.all(engines.map((engine) => imagesHeld(engine, images)));
        const lacking = holdings.map((held) => images.filter((_, i) => !held[i]));
        const targets = nodes.map((node, i) => ({ node, engine: engines[i], lacking: lacking[i] })).filter((target) => target.lacking.length);
        const skipped = nodes.filter((_, i) => lacking[i].length === 0).map((node) => node.name);
        if (skipped.length)
            lib_core/* info */.pq(`already holding every image (same image), skipped: ${skipped.join(', ')}`);
        // One save of every image some node lacks: a node lacking only some of them loads the rest again,
        // which costs it little, while the runner's engine is read once.
        const needed = images.filter((image) => targets.some((target) => target.lacking.includes(image)));
        if (targets.length === 0)
            return { loaded: [], skipped, bytes: 0, seconds: (Date.now() - started) / 1000, nodeIds: agreedIds(images, holdings) };
        lib_core/* info */.pq(`loading ${needed.map((image) => image.reference).join(', ')} into ${targets.map((target) => target.node.name).join(', ')}`);
        const platform = needed[0].savePlatform;
        if (platform)
            lib_core/* info */.pq(`the runner's engine keeps images in the containerd store: exported with ${runnerExporter(needed)} for ${platform} only, the platform of its nodes`);
        save = early && needed.length === images.length ? early : runnerSave(needed);
        let bytes;
        try {
            bytes = await streamToAll(save, needed, targets.map((target) => target.engine), deadline);
        }
        catch (error) {
            // A node whose load broke off while the export went well gets one more export of its own,
            // by `docker save`: twice in some 60 loads from containerd's export, the nodes' engines
            // answered "unexpected EOF" (cause not found yet), never from `docker save`.
            if (!(error instanceof LoadsFailed))
                throw error;
            lib_core/* warning */.$e(`${error.message}; loading into those node(s) again, once, with docker save`);
            save.kill('SIGKILL');
            const bySave = needed.map((image) => ({ ...image, containerd: undefined }));
            save = runnerSave(bySave);
            bytes = await streamToAll(save, bySave, error.engines, deadline);
        }
        // A tag that moved on the runner meanwhile, or a load that kept an older image: the identities tell.
        const after = await Promise.all(engines.map((engine, i) => (lacking[i].length ? imagesHeld(engine, images) : Promise.resolve(holdings[i]))));
        const wrong = nodes
            .filter((_, i) => after[i].some((id) => !id))
            .map((node) => node.name)
            .join(', ');
        if (wrong)
            throw new Error(`after loading, ${wrong} still lack an image the same as the runner's; did an image change on the runner meanwhile?`);
        const seconds = (Date.now() - started) / 1000;
        lib_core/* info */.pq(`loaded ${needed.length} image(s), ${(bytes / 1e6).toFixed(1)} MB read once from the runner's engine, into ${targets.length} node(s) in ${seconds.toFixed(2)} s`);
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
    return images.map((image, i) => (inspected[i] && image_identity_imageIdentity(inspected[i]) === image.identity ? inspected[i].Id : undefined));
}
/** Reference → the ID that every node holds the image under; nodes of different stores disagree. */
function agreedIds(images, holdings) {
    return Object.fromEntries(images.flatMap((image, i) => {
        const ids = new Set(holdings.map((held) => held[i]));
        const [id] = ids;
        return ids.size === 1 && id ? [[image.reference, id]] : [];
    }));
}
/** Loads that broke off (the export itself went well): `engines` are the nodes that did not load. */
class LoadsFailed extends Error {
    engines;
    constructor(message, engines) {
        super(message);
        this.engines = engines;
    }
}
/** The runner's export read once, its stream copied to every engine's load; returns the bytes read. */
async function streamToAll(save, images, engines, deadline) {
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
            throw new Error(`${runnerExporter(images)} ${images.map((image) => image.reference).join(' ')} on the runner failed (exit ${code}): ${stderr.trim()}`);
        const failed = engines.filter((_, i) => results[i].status === 'rejected');
        const reasons = results.flatMap((result) => (result.status === 'rejected' ? [result.reason.message] : []));
        // The export's size tells a stream cut short from content a node rejects.
        if (failed.length)
            throw new LoadsFailed(`loading the images failed (the export ended well after ${(bytes / 1e6).toFixed(1)} MB): ${reasons.join('; ')}`, failed);
        return bytes;
    }
    finally {
        clearTimeout(timer);
    }
}

// EXTERNAL MODULE: ./src/tools/wait.ts
var tools_wait = __webpack_require__(15874);
;// CONCATENATED MODULE: ./src/drivers/local/host-tools.ts

/** What the local driver runs on the runner, and the Debian/Ubuntu package each comes from. */
const TOOLS = {
    dockerd: 'docker.io or docker-ce (dockerd)',
    ip: 'iproute2',
    iptables: 'iptables',
    'iptables-save': 'iptables',
    'iptables-restore': 'iptables',
    nsenter: 'util-linux',
    unshare: 'util-linux'
};
function tool(name) {
    const found = (0,tools_command/* findExecutable */.oq)(name);
    if (!found)
        throw new Error(`${name} is not installed (package ${TOOLS[name]})`);
    return found;
}
/** The tools the runner lacks, each with its package. */
function missingTools() {
    return Object.keys(TOOLS).filter((name) => !(0,tools_command/* findExecutable */.oq)(name)).map((name) => `${name} (${TOOLS[name]})`);
}
/** Runs a command as root (sudo -n unless we are root), bounded. */
const privileged = (name, args, input, allowFailure = false) => (0,tools_command/* run */.eF)((0,tools_command/* findExecutable */.oq)(name) ?? name, args, { privileged: true, input, timeoutMs: 30_000, allowFailure });

;// CONCATENATED MODULE: ./src/drivers/local/cgroups.ts




// Each engine puts its containers under the cluster's cgroup parent (dockerd's cgroupfs driver with
// --cgroup-parent): runc makes <parent>/<container> in every hierarchy it finds. On cgroup v1 that is
// one per controller mount (co-mounted controllers such as cpu,cpuacct share one), the named
// name=systemd one and, on a hybrid host, the cgroup2 `unified` one too; on v2 the one hierarchy.
// BuildKit in an engine nests its build steps deeper (<parent>/buildkit/<id>). The engines create
// these and never remove them once killed: post does, children first (a cgroup with children
// cannot be removed).
/** The hierarchies' roots, one path each (under `root`: a stand-in for /, for tests). */
function cgroupHierarchies(root = '/') {
    const seen = new Set();
    const roots = [];
    // mountinfo, not /proc/mounts: its device number tells a hierarchy mounted twice (a bind mount,
    // or the same controllers mounted again) from two hierarchies, and its root field a mount of a
    // hierarchy's subdirectory (a container's view) from a mount of the whole.
    for (const line of (0,external_node_fs_.readFileSync)(external_node_path_default().join(root, 'proc/self/mountinfo'), 'utf8').split('\n')) {
        const fields = line.split(' ');
        const [device, mountRoot, mountPoint] = fields.slice(2, 5);
        const fsType = fields[fields.indexOf('-', 6) + 1];
        const tree = `${device} ${mountRoot}`;
        if ((fsType !== 'cgroup' && fsType !== 'cgroup2') || seen.has(tree))
            continue;
        seen.add(tree);
        roots.push(external_node_path_default().join(root, unescapeMountField(mountPoint)));
    }
    return roots;
}
/** The kernel writes a space, tab, newline or backslash in a mount's path as an octal escape (\040). */
const unescapeMountField = (field) => field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
/** `dir` and every cgroup below it, children before their parents; nothing once `dir` is gone. */
function cgroupTree(dir) {
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true });
    }
    catch (error) {
        // Another remover (another post, the engine itself) may have taken it since it was listed.
        if (error.code === 'ENOENT')
            return [];
        throw error;
    }
    return [...entries.filter((entry) => entry.isDirectory()).flatMap((entry) => cgroupTree(external_node_path_default().join(dir, entry.name))), dir];
}
/**
 * One rmdir for every directory (one sudo, not one per cgroup): given children first, it removes
 * them in that order and goes on past a directory it cannot remove.
 */
const rmdirAsRoot = (dirs) => privileged('rmdir', ['--', ...dirs]);
/** Removes the cluster's cgroup parent, with everything below it, from every hierarchy. */
async function removeCgroups(parent, { root = '/', removeDirs = rmdirAsRoot } = {}) {
    // A parent that is not a cgroup below a hierarchy's root would take other cgroups with it.
    if (!/^\/[^/]/.test(parent) || parent.split('/').includes('..'))
        throw new Error(`not a cgroup parent: ${parent}`);
    const dirs = cgroupHierarchies(root).flatMap((hierarchy) => cgroupTree(external_node_path_default().join(hierarchy, parent)));
    if (!dirs.length)
        return;
    try {
        await removeDirs(dirs);
    }
    catch (error) {
        // Some may have gone meanwhile by another hand: only a directory still there is a failure.
        if (dirs.some((dir) => (0,external_node_fs_.existsSync)(dir)))
            throw error;
    }
}
function freezerHierarchy(root = '/') {
    let v2;
    for (const line of (0,external_node_fs_.readFileSync)(external_node_path_default().join(root, 'proc/self/mountinfo'), 'utf8').split('\n')) {
        const fields = line.split(' ');
        const [mountRoot, mountPoint] = fields.slice(3, 5);
        const dash = fields.indexOf('-', 6);
        const [fsType, , superOptions = ''] = fields.slice(dash + 1);
        // A mount of a hierarchy's subdirectory (a container's view) cannot reach the cluster's cgroups.
        if (mountRoot !== '/')
            continue;
        const at = external_node_path_default().join(root, unescapeMountField(mountPoint ?? ''));
        if (fsType === 'cgroup' && superOptions.split(',').includes('freezer'))
            return { path: at, version: 1 };
        if (fsType === 'cgroup2' && !v2)
            v2 = { path: at, version: 2 };
    }
    return v2;
}
/** The file that freezes a cgroup, and what it holds frozen and thawed. */
function freezeControl(hierarchy, cgroup) {
    return hierarchy.version === 1
        ? { file: external_node_path_default().join(hierarchy.path, cgroup, 'freezer.state'), frozen: 'FROZEN', thawed: 'THAWED' }
        : { file: external_node_path_default().join(hierarchy.path, cgroup, 'cgroup.freeze'), frozen: '1', thawed: '0' };
}
/** Whether `cgroup` is frozen now (v1: FROZEN, not FREEZING; v2: its cgroup.events says frozen). */
function isFrozen(hierarchy, cgroup) {
    try {
        if (hierarchy.version === 1)
            return (0,external_node_fs_.readFileSync)(external_node_path_default().join(hierarchy.path, cgroup, 'freezer.state'), 'utf8').trim() === 'FROZEN';
        return /^frozen 1$/m.test((0,external_node_fs_.readFileSync)(external_node_path_default().join(hierarchy.path, cgroup, 'cgroup.events'), 'utf8'));
    }
    catch {
        return false;
    }
}
const writeAsRoot = (value, files) => privileged('sh', ['-c', 'value=$1; shift; for file in "$@"; do echo "$value" > "$file"; done', 'setup-swarm-freeze', value, ...files]);
/**
 * Freezes (or thaws) the cgroups, and waits until the kernel says they are: v1's freezer.state
 * reads FROZEN only once every process stopped (FREEZING before), v2's cgroup.events says
 * `frozen 1` only then, whatever cgroup.freeze holds.
 */
async function setFrozen(cgroups, frozen, deadline, { root = '/', writeFiles = writeAsRoot } = {}) {
    const freezer = freezerHierarchy(root);
    if (!freezer)
        throw new Error('this runner has no cgroup freezer (neither the v1 freezer controller nor cgroup v2): nodes cannot be paused');
    // A node started before nodes had a cgroup of their own cannot be frozen: writing would create nothing on cgroupfs.
    const missing = cgroups.filter((cgroup) => !(0,external_node_fs_.existsSync)(external_node_path_default().join(freezer.path, cgroup)));
    if (missing.length)
        throw new Error(`no cgroup to freeze: ${missing.join(', ')} (a node started before nodes had a cgroup of their own)`);
    const controls = cgroups.map((cgroup) => freezeControl(freezer, cgroup));
    await writeFiles(frozen ? controls[0].frozen : controls[0].thawed, controls.map((control) => control.file));
    await (0,tools_wait/* pollUntil */.g3)(deadline, frozen ? 'the nodes to freeze' : 'the nodes to thaw', () => Promise.resolve(cgroups.every((cgroup) => isFrozen(freezer, cgroup) === frozen)), { intervalMs: 5 });
}
/** Thaws those of the cgroups that are frozen, without waiting (a frozen process cannot die on v1: remove thaws before it kills). */
async function thawFrozen(cgroups, { root = '/', writeFiles = writeAsRoot } = {}) {
    const freezer = freezerHierarchy(root);
    const frozen = freezer ? cgroups.filter((cgroup) => isFrozen(freezer, cgroup)) : [];
    if (!freezer || !frozen.length)
        return;
    const controls = frozen.map((cgroup) => freezeControl(freezer, cgroup));
    await writeFiles(controls[0].thawed, controls.map((control) => control.file));
}

// EXTERNAL MODULE: ./src/state/owner.ts
var state_owner = __webpack_require__(9622);
;// CONCATENATED MODULE: ./src/drivers/local/names.ts



/** Every bridge, veth and namespace of a local cluster starts with this. */
const PREFIX = 'swm';
/** Every firewall rule of a local cluster carries a comment that starts with this. */
const TAG_PREFIX = 'setup-swarm:';
/**
 * Every host-wide name of the cluster `clusterName` of `repository` (this run's unless given): two
 * repositories' clusters of one name (`pr-5`) on one runner get names of their own.
 */
function localNames(clusterName, nodeCount, repository = (0,state_owner/* runRepository */.Yk)()) {
    // Interface names have at most 15 characters: a hash, not the names. A repository has one '/' and a
    // cluster's name none, so `owner/repo/name` tells every pair apart.
    const bridge = PREFIX + (0,external_node_crypto_.createHash)('sha256').update(`${repository}/${clusterName}`).digest('hex').slice(0, 8);
    return {
        bridge,
        tag: `${TAG_PREFIX}${bridge}`,
        netns: Array.from({ length: nodeCount }, (_, i) => `${bridge}-${i + 1}`),
        cgroupParent: `/setup-swarm-${bridge}`
    };
}
/** The claim on the cluster's names (claim.ts): in /run, root's, gone at a reboot with the cluster itself. */
const claimFile = (local) => `/run/setup-swarm-${local.bridge}.claim`;
/** The 8 hex digits of the cluster's name hash in its bridge's name, from which its other network names and numbers come. */
const bridgeHash = (local) => local.bridge.slice(PREFIX.length);
/** The host side of node `index`'s link; the node side is its eth0. */
const vethName = (local, index) => `${local.bridge}v${index + 1}`;
/**
 * The device group of the cluster's host-side links, from the bridge's hash: the kernel deletes a
 * group in one pass (7 links: 0.02 s instead of 0.15 s). Between 2^30 and 2^31 - 1 (iproute2 takes
 * no more), so never the default group 0 of every other link, nor a small one someone else uses.
 */
const linkGroup = (local) => (parseInt(bridgeHash(local), 16) & 0x3fffffff) | 0x40000000;
/** The bridge's own MAC address, from its hash: locally administered (02:…), unicast. */
const bridgeAddress = (local) => `02:00:${bridgeHash(local).match(/../g).join(':')}`;
/** The local driver's files under the cluster's dir; engines running as root write into `nodes`. */
function localPaths(dir) {
    return { nodes: external_node_path_default().join(dir, 'nodes'), resolvConf: external_node_path_default().join(dir, 'resolv.conf') };
}
/**
 * Node `index`'s cgroup, below the cluster's: its containers' cgroups are below it, and its own
 * processes' (engineCgroup), so that freezing it freezes the whole node.
 */
const nodeCgroup = (local, index) => `${local.cgroupParent}/${local.netns[index]}`;
/** Where the node's own processes (its engine, containerd, the shims) live: a leaf, as cgroup v2 wants processes. */
const engineCgroup = (local, index) => `${nodeCgroup(local, index)}/engine`;

;// CONCATENATED MODULE: ./src/drivers/local/claim.ts






/** Who holds the cluster's names, or undefined when nobody does. */
function readClaim(local) {
    const file = claimFile(local);
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
    const claim = parseClaim(text);
    if (!claim) {
        throw new Error(`${file} is no claim setup-swarm wrote: something else wrote it; delete it once nothing of bridge ${local.bridge} is left`);
    }
    return claim;
}
function parseClaim(text) {
    try {
        const claim = JSON.parse(text);
        const complete = [claim.repository, claim.user, claim.id].every((value) => typeof value === 'string' && value !== '');
        return complete ? claim : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Claims the names of cluster `name` for `owner` and returns the claim's id. Throws, naming who holds
 * them, when another run did first.
 */
async function claimNames(name, local, owner) {
    const file = claimFile(local);
    const claim = { ...owner, id: (0,external_node_crypto_.randomBytes)(8).toString('hex') };
    // Written beside it, then hard-linked to its name: link(2) fails when the name exists, so of two runs
    // at the same moment one fails, and the claim appears with its content whole, never empty.
    // Readable by all: the runner user reads whose it is without sudo.
    const script = 'tmp=$(mktemp "$1.XXXXXX") || exit 1; chmod 644 "$tmp" && printf %s "$2" > "$tmp" && ln "$tmp" "$1"; ok=$?; rm -f "$tmp"; exit $ok';
    const result = await privileged('sh', ['-c', script, 'sh', file, JSON.stringify(claim)], undefined, true);
    if (result.code === 0)
        return claim.id;
    const holder = readClaim(local);
    if (!holder)
        throw new Error(`could not claim the names of cluster "${name}" (${file}): ${result.stderr.trim()}`);
    (0,state_owner/* checkOwner */.AA)(`the cluster named "${name}" on this runner (${file})`, holder, owner);
    throw new Error(`a cluster named "${name}" already runs on this runner (bridge ${local.bridge}, claimed by ${(0,state_owner/* describeOwner */.$S)(holder)} in ${file}); give each setup-swarm step its own \`name\`, reuse a kept cluster with \`cleanup: false\`, or destroy it by name (setup-swarm/destroy, driver local)`);
}
/**
 * The names as post and destroy may remove them: only while they carry `local.claim`. Otherwise they
 * are nobody's any more, or another run's since (the cluster was destroyed by name and made anew).
 */
function heldNames(local) {
    if (!local?.claim)
        return undefined;
    const holder = readClaim(local);
    if (holder?.id === local.claim)
        return local;
    if (holder)
        lib_core/* info */.pq(`bridge ${local.bridge} and its namespaces were claimed by another run since (${(0,state_owner/* describeOwner */.$S)(holder)}): left as they are`);
    return undefined;
}
/** Gives the names up: the last thing removed, once nothing else of the cluster is left. */
async function releaseClaim(local) {
    await privileged('rm', ['-f', '--', claimFile(local)]);
}

;// CONCATENATED MODULE: ./src/drivers/local/host-changes.ts






// Host-wide settings that clusters need, changed once for all of them and marked, so that the last
// cluster out restores them, whichever cluster changed them.
const NETNS_DIR = '/run/netns';
const HOST_CHANGES_DIR = '/run/setup-swarm';
/** iproute2 makes /run/netns a mount on its first `ip netns add`: note it before the first one. */
async function noteNetnsMount() {
    if (!isMountPoint(NETNS_DIR))
        await markHostChange('netns-mount');
}
/** Nodes reach the internet through the host's routing. */
async function enableIpForward() {
    if ((await (0,promises_.readFile)('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim() === '1')
        return;
    await markHostChange('ip-forward');
    await privileged('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
}
async function markHostChange(change) {
    // A directory: `mkdir -p` does not mind another cluster making the same marker at the same moment.
    await privileged('mkdir', ['-p', external_node_path_default().join(HOST_CHANGES_DIR, change)]);
}
/** Restores what was changed, unless another cluster still runs on this runner. */
async function undoHostChanges() {
    if (!(0,external_node_fs_.existsSync)(HOST_CHANGES_DIR) || (await otherClustersRunning()))
        return;
    const changes = (await (0,promises_.readdir)(HOST_CHANGES_DIR));
    if (changes.includes('ip-forward')) {
        const forwarding = await othersForwarding();
        if (forwarding)
            lib_core/* info */.pq(`IP forwarding stays on: ${forwarding} came to rely on it while the cluster ran`);
        else
            await privileged('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=0']);
    }
    if (changes.includes('netns-mount') && isMountPoint(NETNS_DIR) && (await (0,promises_.readdir)(NETNS_DIR)).length === 0) {
        // Two clusters' first `ip netns add` at one moment can stack two mounts (iproute2 checks,
        // then mounts); two posts may get here at once: unmount until it is no mount point.
        for (let layer = 0; layer < 4 && isMountPoint(NETNS_DIR); layer++) {
            await privileged('umount', [NETNS_DIR]).catch((error) => {
                if (isMountPoint(NETNS_DIR) && layer === 3)
                    throw error;
            });
        }
        await privileged('rmdir', [NETNS_DIR]).catch(() => undefined);
    }
    await privileged('rm', ['-rf', HOST_CHANGES_DIR]);
}
/**
 * What forwards on this runner besides setup-swarm: a bridge of another tool (the runner's Docker,
 * kind, libvirt) or a FORWARD or NAT rule not tagged as ours. Forwarding was off before the first
 * cluster turned it on; turning it off under whatever started meanwhile would cut its traffic, and
 * leaving it on is what that tool's own start would have done.
 */
async function othersForwarding() {
    const bridges = (await (0,promises_.readdir)('/sys/class/net')).filter((name) => !name.startsWith(PREFIX) && (0,external_node_fs_.existsSync)(`/sys/class/net/${name}/bridge`));
    if (bridges.length)
        return `bridge ${bridges.join(', ')}`;
    const rules = (await privileged('iptables-save', [])).stdout
        .split('\n')
        .filter((line) => /^-A (FORWARD|POSTROUTING) /.test(line) && !line.includes(TAG_PREFIX));
    return rules.length ? `firewall rule "${rules[0]}"` : undefined;
}
async function otherClustersRunning() {
    // A cluster is its bridge; its nodes' veths carry the same prefix but are no bridges.
    return (await (0,promises_.readdir)('/sys/class/net')).some((name) => name.startsWith(PREFIX) && (0,external_node_fs_.existsSync)(`/sys/class/net/${name}/bridge`));
}
function isMountPoint(dir) {
    return (0,external_node_fs_.readFileSync)('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .some((line) => line.split(' ')[4] === dir);
}

;// CONCATENATED MODULE: ./src/drivers/local/resolv-conf.ts


// A node's resolv.conf is made by the action and bind-mounted over the host's inside the node's
// mount namespace; it goes with the cluster's files.
/**
 * The name servers a node can reach. A loopback stub resolver (systemd-resolved's
 * 127.0.0.53) is not reachable from a node's namespace: use the servers behind it.
 */
async function nodeResolvConf(files = { host: '/etc/resolv.conf', behindStub: '/run/systemd/resolve/resolv.conf' }) {
    const read = (file) => (0,promises_.readFile)(file, 'utf8').catch(() => '');
    const servers = (text) => text.split('\n').filter((line) => /^\s*nameserver\s/.test(line) && !/\s(127\.|::1)/.test(line));
    const main = await read(files.host);
    let found = servers(main);
    if (found.length === 0)
        found = servers(await read(files.behindStub));
    if (found.length === 0)
        found = ['nameserver 8.8.8.8', 'nameserver 1.1.1.1'];
    const search = main.split('\n').filter((line) => /^\s*(search|domain)\s/.test(line));
    return [...search, ...found.map((line) => line.trim()), ''].join('\n');
}
/** Where the host's resolv.conf really is (often a link into /run), which the node mounts over. */
function resolvConfTarget() {
    try {
        return (0,external_node_fs_.realpathSync)('/etc/resolv.conf');
    }
    catch {
        return '/etc/resolv.conf';
    }
}

;// CONCATENATED MODULE: ./src/drivers/local/node.ts











// A node is a dockerd in its own network, mount, UTS and PID namespace. Its first process is the
// PID namespace's init: killing it ends every process of the node.
/** Where a node keeps its data, certificates, config and log. */
function nodeFiles(dir) {
    return {
        dataRoot: external_node_path_default().join(dir, 'data'),
        ca: external_node_path_default().join(dir, 'ca.pem'),
        cert: external_node_path_default().join(dir, 'server-cert.pem'),
        key: external_node_path_default().join(dir, 'server-key.pem'),
        config: external_node_path_default().join(dir, 'daemon.json'),
        log: external_node_path_default().join(dir, 'dockerd.log')
    };
}
/** The engine's command line: everything of its own, nothing shared with the host's engine. */
function dockerdArgs(dockerd, node) {
    const { files } = node;
    return [
        dockerd,
        ...['--data-root', files.dataRoot, '--exec-root', '/run/docker', '--pidfile', '/run/docker.pid', '--config-file', files.config],
        ...['-H', `tcp://${node.ip}:${api/* ENGINE_PORT */.Xg}`, '--tlsverify', '--tlscacert', files.ca, '--tlscert', files.cert, '--tlskey', files.key],
        ...['--containerd-namespace', node.name, '--containerd-plugins-namespace', `${node.name}-plugins`],
        ...['--exec-opt', 'native.cgroupdriver=cgroupfs', '--cgroup-parent', node.cgroupParent]
    ];
}
/**
 * Every node keeps its images in the graph driver's store, whatever the runner's Docker defaults to
 * (Docker 29 takes the containerd store on a fresh install, older ones the graph driver): the
 * nodes behave alike on every runner, and the nodes after the first can start with its layers
 * hard-linked (image-store.ts), which the containerd store's namespaced metadata database does not
 * allow. Images cross from the runner's store by `docker save`, and are matched by an identity that
 * holds across stores (workload/images.ts, engine/image-identity.ts).
 */
const NODE_DAEMON_CONFIG = { features: { 'containerd-snapshotter': false }, ip6tables: false };
// Runs as the node's first process: its own hostname, a private /run (no host containerd
// socket, room for the engine's runtime files), its own network devices in /sys, and a resolv.conf
// that works from the node. The host's /sys shows the runner's devices: there the node's engine
// would read and set the runner's own bridges by name (its docker0). The rest of /sys (cgroups,
// securityfs for AppArmor) stays the host's. The engine finds its companions (containerd, runc,
// docker-proxy, docker-init) beside its own binary first: sudo's PATH would otherwise mix in
// another installation's.
const NODE_INIT = [
    'set -e',
    'PATH="$(dirname "$4"):$PATH"',
    'hostname "$1"',
    'mount -t tmpfs -o mode=755 tmpfs /run',
    'mkdir /run/sysfs',
    'mount -t sysfs -o nosuid,nodev,noexec sysfs /run/sysfs',
    'mount --bind /run/sysfs/class/net /sys/class/net',
    'mount --bind /run/sysfs/devices/virtual/net /sys/devices/virtual/net',
    'umount -l /run/sysfs',
    'rmdir /run/sysfs',
    'mkdir -p "$(dirname "$3")"',
    'touch "$3"',
    'mount --bind "$2" "$3"',
    'shift 3',
    'exec "$@"'
].join('\n');
// Moves itself (and so every process the node starts) into the node's cgroup, then runs the node.
const PLACE_IN_CGROUP = ['set -e', 'mkdir -p "$1"', 'echo 0 > "$1/cgroup.procs"', 'shift', 'exec "$@"'].join('\n');
/** The node's directory, certificates and config, which its engine needs to start. */
async function writeNodeFiles(start) {
    const { node, ip, dir, tls } = start;
    if (!tls.authority)
        throw new Error('the local driver signs node certificates and needs the CA key');
    await (0,engine_tls/* makePrivateDir */.hI)(dir);
    const files = nodeFiles(dir);
    const serverPair = await (0,engine_tls/* issueCertificate */.D8)(tls.authority, node.name, 'server', { ips: [ip, '127.0.0.1'], dnsNames: [node.name, 'localhost'] });
    await (0,engine_tls/* writeSecretFiles */.Bd)([
        [files.ca, tls.authority.cert],
        [files.cert, serverPair.cert],
        [files.key, serverPair.key],
        // Our own config, never the host's /etc/docker/daemon.json: see NODE_DAEMON_CONFIG.
        [files.config, `${JSON.stringify(NODE_DAEMON_CONFIG)}\n`]
    ]);
}
/** Starts the node's engine in its (already attached) namespace, with its files written, and waits until it answers. */
async function startNode(start) {
    const { node, ip, dir, tls } = start;
    const files = nodeFiles(dir);
    const place = start.engineCgroup ? ['-c', PLACE_IN_CGROUP, 'setup-swarm-place', start.engineCgroup] : ['-c', 'exec "$@"', 'setup-swarm-node'];
    const [command, args] = (0,tools_command/* privilegedArgv */.K1)('/bin/sh', [
        ...place,
        tool('nsenter'),
        `--net=${NETNS_DIR}/${start.netns}`,
        '--',
        tool('unshare'),
        ...['--mount', '--uts', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private'],
        '--',
        ...['/bin/sh', '-c', NODE_INIT, 'setup-swarm-node', node.name, start.resolvConf, resolvConfTarget()],
        ...dockerdArgs(tool('dockerd'), { name: node.name, ip, cgroupParent: start.cgroupParent, files })
    ]);
    const log = (0,external_node_fs_.openSync)(files.log, 'a', 0o600);
    const child = (0,external_node_child_process_.spawn)(command, args, { detached: true, stdio: ['ignore', log, log] });
    (0,external_node_fs_.closeSync)(log);
    let exited;
    child.on('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
    child.on('error', (error) => (exited = error.message));
    child.unref();
    start.onSpawned?.();
    const engine = new api/* Engine */.N$(`tcp://${ip}:${api/* ENGINE_PORT */.Xg}`, await (0,engine_tls/* readClientTls */.Z$)(tls.client));
    try {
        await (0,tools_wait/* pollUntil */.g3)(start.deadline, `the engine of ${node.name}`, async () => {
            if (exited)
                throw new tools_wait/* GiveUp */.l0(`the engine of ${node.name} ${exited}; its log ends with:\n${await logTail(files.log)}`);
            return engine.ping(1000);
        }, { intervalMs: 50 }).catch(async (error) => {
            if (error instanceof tools_wait/* GiveUp */.l0)
                throw error;
            throw new Error(`${error.message}; its log ends with:\n${await logTail(files.log)}`);
        });
    }
    finally {
        engine.close();
    }
    return { name: node.name, role: node.role, ip, advertiseIp: ip, dockerHost: engine.dockerHost };
}
async function logTail(file) {
    const text = await (0,promises_.readFile)(file, 'utf8').catch(() => '');
    return text.trim().split('\n').slice(-8).join('\n') || '(empty)';
}
const KILL_WAIT_MS = 10_000;
/** Rounds of the kill script, 0.02 s apart: a killed process with much memory takes a while to leave. */
const KILL_ROUNDS = 50;
// One privileged shell for every node: find the processes of the nodes' network namespaces (one
// pass over /proc for all of them: `ip netns pids` scans it once per namespace), kill them, again
// until none is left (bounded). The node's first process is its PID namespace's init: the kernel
// ends the rest with it. Prints the killed pids, then those still there.
const KILL_NODES = [
    'inodes=$(for ns in "$@"; do stat -L -c %i "/run/netns/$ns"; done | tr "\\n" " ")',
    'find_pids() { ls -l /proc/[0-9]*/ns/net 2>/dev/null | awk -v inodes="$inodes" \'BEGIN { n = split(inodes, list, " "); for (i = 1; i <= n; i++) wanted["net:[" list[i] "]"] = 1 } ($NF in wanted) { split($(NF - 2), path, "/"); printf "%s ", path[3] }\'; }',
    'killed=""; pids=""',
    'round=0',
    `while [ $round -lt ${KILL_ROUNDS} ]; do`,
    '  round=$((round + 1)); pids=$(find_pids)',
    '  [ -z "$pids" ] && break',
    '  kill -KILL $pids 2>/dev/null; killed="$killed $pids"; sleep 0.02',
    'done',
    // What the last round killed has left by now; what is still there was not killed.
    '[ -n "$pids" ] && pids=$(find_pids)',
    'echo "$killed"; echo "$pids"'
].join('\n');
/** Kills every process of the nodes' namespaces; returns the pids it killed. */
async function killNodes(netns) {
    if (netns.length === 0)
        return [];
    const { stdout } = await privileged('sh', ['-c', KILL_NODES, 'setup-swarm-kill', ...netns]);
    const [killed = '', running = ''] = stdout.split('\n');
    if (running.trim())
        throw new Error(`processes ${running.trim()} still run after being killed ${KILL_ROUNDS} times`);
    return [...new Set(killed.split(/\s+/).filter(Boolean))];
}
/**
 * Waits (bounded) until every killed process has exited: a killed process leaves its namespace
 * before it has. Reaping it is its parent's job (the runner's init): a zombie holds no memory,
 * files or namespaces.
 */
async function waitExited(pids) {
    const deadline = Date.now() + KILL_WAIT_MS;
    const running = () => pids.filter((pid) => !hasExited(pid));
    while (running().length) {
        if (Date.now() > deadline)
            throw new Error(`processes ${running().join(' ')} were killed but still run after ${KILL_WAIT_MS / 1000} s`);
        await (0,tools_wait/* sleep */.yy)(20);
    }
}
function hasExited(pid) {
    try {
        // /proc/<pid>/stat: "pid (comm) state …"; Z is a zombie, X a dying task.
        const stat = (0,external_node_fs_.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        return /^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
    }
    catch {
        return true;
    }
}

;// CONCATENATED MODULE: ./src/drivers/local/faults.ts






// Faults of local nodes, each found again on the host (never only in a file that a cancel could
// leave behind): a stopped node has no process in its namespace, a paused one's cgroup is frozen, a
// partitioned one's address is in the cluster's partition rules. Post and destroy undo them all
// (remove: thaw, then kill; the rules carry the cluster's tag).
/** Node `index` of the cluster: its address is the subnet's host `index + 2` (network.ts). */
function nodeIndex(local, node) {
    const index = Number(node.ip.split('.').pop()) - 2;
    if (!local.subnet || node.ip !== `${local.subnet.replace(/\.0\/24$/, '')}.${index + 2}` || !local.netns[index]) {
        throw new Error(`${node.name} (${node.ip}) is not a node of this cluster's network ${local.subnet ?? '(none)'}`);
    }
    return index;
}
const partitionTag = (local) => `${local.tag}-partition`;
/** The pids in each node namespace (one privileged pass). */
async function runningNamespaces(local, indexes) {
    const script = 'for ns in "$@"; do [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && echo "$ns"; done; true';
    const { stdout } = await privileged('sh', ['-c', script, 'setup-swarm-pids', ...indexes.map((index) => local.netns[index])]);
    const running = new Set(stdout.split('\n').filter(Boolean));
    return new Set(indexes.filter((index) => running.has(local.netns[index])));
}
/** The partition rules: `-s A -d B` pairs. */
async function partitionRules(local) {
    const saved = (await privileged('iptables-save', ['-t', 'filter'])).stdout;
    return saved
        .split('\n')
        .filter((line) => line.startsWith('-A FORWARD ') && line.includes(partitionTag(local)))
        .map((line) => ({ line, source: /-s (\S+?)(\/32)? /.exec(line)?.[1] ?? '', destination: /-d (\S+?)(\/32)? /.exec(line)?.[1] ?? '' }));
}
async function localFaultState(state, nodes) {
    const local = state.driverState;
    const indexes = nodes.map((node) => nodeIndex(local, node));
    const [running, rules] = await Promise.all([runningNamespaces(local, indexes), partitionRules(local)]);
    const partitioned = new Set(rules.flatMap((rule) => [rule.source, rule.destination]));
    const freezer = freezerHierarchy();
    return new Map(nodes.map((node, i) => [
        node.name,
        {
            stopped: !running.has(indexes[i]),
            paused: freezer !== undefined && isFrozen(freezer, nodeCgroup(local, indexes[i])),
            partitioned: partitioned.has(node.ip)
        }
    ]));
}
const cgroupsOf = (local, indexes) => indexes.map((index) => nodeCgroup(local, index));
/** Thaws every frozen node of the cluster: a frozen process cannot die (cgroup v1). For remove, before the kill. */
const thawAll = (local) => thawFrozen(cgroupsOf(local, local.netns.map((_, index) => index)));
/** Traffic between every node of `side` and every node of `other` dropped both ways, above the cluster's own rules. */
async function addPartition(local, side, other) {
    // Traffic between nodes is bridged: the FORWARD chain sees it only through br_netfilter.
    const bridged = await (0,promises_.readFile)('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').catch(() => '');
    if (bridged.trim() !== '1') {
        throw new Error('bridged traffic bypasses iptables on this runner (net.bridge.bridge-nf-call-iptables is not 1): a partition would drop nothing; run `sudo modprobe br_netfilter && sudo sysctl -w net.bridge.bridge-nf-call-iptables=1` first');
    }
    const rule = (source, destination) => `-I FORWARD -s ${source}/32 -d ${destination}/32 -m comment --comment ${partitionTag(local)} -j DROP`;
    const rules = side.flatMap((a) => other.flatMap((b) => [rule(a, b), rule(b, a)]));
    await privileged('iptables-restore', ['-w', '10', '--noflush'], ['*filter', ...rules, 'COMMIT', ''].join('\n'));
}
/** Removes the partition rules of `ips` (every one when none are given). */
async function removePartition(local, ips) {
    const rules = (await partitionRules(local)).filter((rule) => !ips.length || ips.includes(rule.source) || ips.includes(rule.destination));
    if (!rules.length)
        return;
    await privileged('iptables-restore', ['-w', '10', '--noflush'], ['*filter', ...rules.map((rule) => rule.line.replace(/^-A /, '-D ')), 'COMMIT', ''].join('\n'));
}
async function injectLocalFault(state, request) {
    const local = state.driverState;
    const indexes = request.nodes.map((node) => nodeIndex(local, node));
    switch (request.fault) {
        case 'stop': {
            // A frozen process cannot die: thawed first, then killed with everything of the node at once.
            const freezer = freezerHierarchy();
            const frozen = freezer ? indexes.filter((index) => isFrozen(freezer, nodeCgroup(local, index))) : [];
            if (frozen.length)
                await setFrozen(cgroupsOf(local, frozen), false, request.deadline);
            await waitExited(await killNodes(indexes.map((index) => local.netns[index])));
            return;
        }
        case 'start': {
            const paths = localPaths(state.dir);
            // Only the client is needed: the node's certificates and config are on its disk already.
            const tls = {
                client: request.client,
                files: { caCert: request.client.ca, caKey: '', clientCert: request.client.cert, clientKey: request.client.key }
            };
            const freezer = freezerHierarchy();
            await Promise.all(request.nodes.map((node, i) => startNode({
                node: { name: node.name, role: node.role, createOpts: [] },
                ip: node.ip,
                netns: local.netns[indexes[i]],
                cgroupParent: nodeCgroup(local, indexes[i]),
                engineCgroup: freezer && external_node_path_default().join(freezer.path, engineCgroup(local, indexes[i])),
                resolvConf: paths.resolvConf,
                dir: external_node_path_default().join(paths.nodes, node.name),
                tls,
                deadline: request.deadline
            })));
            return;
        }
        case 'pause':
            return setFrozen(cgroupsOf(local, indexes), true, request.deadline);
        case 'resume':
            return setFrozen(cgroupsOf(local, indexes), false, request.deadline);
        case 'partition':
            return addPartition(local, request.nodes.map((node) => node.ip), request.from.map((node) => node.ip));
        case 'heal':
            return removePartition(local, request.nodes.map((node) => node.ip));
    }
}

;// CONCATENATED MODULE: ./src/drivers/local/image-store.ts






// Every local node keeps its data on this runner's disk. So the images are loaded over the API into
// the first node only, and every other node starts with a copy of that engine's image store whose
// layer files are hard links: no other node unpacks a byte, and 7 nodes take as long as 1. Layer
// files are never written once committed (a container writes to a layer of its own), so sharing
// their inodes between engines is safe; the metadata is copied, as engines rewrite it.
/** Loads the images into `first`; returns the data root whose image store the other nodes copy. */
async function loadIntoFirstNode(first, dataRoot, images, client, deadline, early) {
    await loadImages([first], images, client, deadline, early);
    const engine = new api/* Engine */.N$(first.dockerHost, await (0,engine_tls/* readClientTls */.Z$)(client));
    try {
        return { dataRoot, storageDriver: (await engine.info()).Driver };
    }
    finally {
        engine.close();
    }
}
/** Gives a node's (not yet started) engine the image store; false when it could not, and the node loads over the API. */
async function copyImageStore(store, toDataRoot) {
    try {
        await privileged('mkdir', ['-p', '-m', '0710', toDataRoot]);
        await privileged('cp', ['-a', '--link', external_node_path_default().join(store.dataRoot, store.storageDriver), `${toDataRoot}/`]);
        await privileged('cp', ['-a', external_node_path_default().join(store.dataRoot, 'image'), `${toDataRoot}/`]);
        return true;
    }
    catch (error) {
        lib_core/* warning */.$e(`could not share the first node's images with ${external_node_path_default().basename(external_node_path_default().dirname(toDataRoot))} (${error.message}); it loads them itself`);
        return false;
    }
}

// EXTERNAL MODULE: ./src/state/cluster.ts
var cluster = __webpack_require__(18611);
// EXTERNAL MODULE: ./src/state/record.ts
var state_record = __webpack_require__(10388);
;// CONCATENATED MODULE: ./src/drivers/local/kept.ts








// A local cluster kept with `cleanup: false` lives on as long as its runner: found again by the claim
// on its names (whose repository and user must be this run's) and its bridge, its nodes read from the
// record main left in its kept dir.
const bridgeExists = (bridge) => (0,external_node_fs_.existsSync)(`/sys/class/net/${bridge}`);
const claimed = (name, local) => `the cluster named "${name}" on this runner (${claimFile(local)})`;
function findKeptLocal({ inputs, dir, record, owner }) {
    const local = localNames(inputs.name, 0, owner.repository);
    const claim = readClaim(local);
    if (!claim)
        return Promise.resolve(undefined);
    (0,state_owner/* checkOwner */.AA)(claimed(inputs.name, local), claim, owner);
    if (!bridgeExists(local.bridge) || !record?.nodes.length) {
        const missing = record?.nodes.length ? `its bridge ${local.bridge} is gone` : `${dir} holds no record of its nodes`;
        throw new Error(`${claimed(inputs.name, local)} is claimed, but ${missing}: another run is making it at this moment, or one was left half-made; wait for it, or destroy it by name (setup-swarm/destroy, driver local) and run again`);
    }
    return Promise.resolve(record.nodes.map(({ name, role, ip, advertiseIp, dockerHost }) => ({ name, role, ip, advertiseIp, dockerHost })));
}
/** What a kept local cluster of `repository` has on this runner, derived from its name: its record may be gone. */
function discoverLocal(name, repository) {
    const names = localNames(name, 0, repository);
    const netns = (0,external_node_fs_.existsSync)(NETNS_DIR) ? (0,external_node_fs_.readdirSync)(NETNS_DIR).filter((entry) => entry.startsWith(`${names.bridge}-`)) : [];
    return { ...names, netns: netns.sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop())) };
}
/**
 * Removes `owner`'s kept local cluster by name: its engines, network, firewall rules, cgroups and
 * files. Another's (by the claim on its names, or the record in its dir) is refused, naming whose it is.
 */
async function destroyKeptLocal(name, owner, remove) {
    const dir = (0,cluster/* clusterDir */._O)(name, true);
    const record = await (0,state_record/* readClusterRecord */.CW)(dir);
    if (record)
        (0,state_owner/* checkOwner */.AA)(`kept cluster "${name}" (${dir})`, record.state.owner, owner);
    const local = discoverLocal(name, owner.repository);
    const claim = readClaim(local);
    if (claim)
        (0,state_owner/* checkOwner */.AA)(claimed(name, local), claim, owner);
    const unclaimed = !claim && bridgeExists(local.bridge)
        ? [`bridge ${local.bridge}: no claim (${claimFile(local)}) says whose it is, so it was left; remove it by hand`]
        : [];
    if (!claim && !(0,external_node_fs_.existsSync)(dir))
        return { removed: [], leftovers: unclaimed };
    // Without a claim, remove takes only the files: the engines' data in the dir is root's.
    const state = { name, driver: 'local', cleanup: true, dir, owner, driverState: { ...local, claim: claim?.id } };
    const leftovers = [...unclaimed, ...(await remove(state))];
    await (0,promises_.rm)(dir, { recursive: true, force: true }).catch((error) => leftovers.push(`${dir}: ${error.message}`));
    return { removed: [`local cluster ${name}: ${local.netns.length} node(s), bridge ${local.bridge}, ${dir}`], leftovers };
}

;// CONCATENATED MODULE: ./src/drivers/local/subnet.ts
// IPv4 arithmetic for choosing a cluster's /24: pure functions, no I/O.
/** RFC 2544's benchmarking range, 198.18.0.0/15: nobody routes it, so a /24 of it is almost always free. */
const SUBNET_POOL = { first: [198, 18], size: 512 };
/** The pool's /24s, starting at `start` and wrapping around, so that each cluster tries its own first. */
function subnetCandidates(start) {
    return Array.from({ length: SUBNET_POOL.size }, (_, step) => subnetAt((start + step) % SUBNET_POOL.size));
}
function subnetAt(index) {
    const [a, b] = SUBNET_POOL.first;
    return `${a}.${b + (index >> 8)}.${index & 255}.0/24`;
}
/** Host `host` of a /24: 1 is the bridge, 2 and up the nodes. */
const hostAddress = (subnet, host) => subnet.replace(/\.0\/24$/, `.${host}`);
function toNumber(address) {
    return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}
function overlaps(a, b) {
    const [addressA, bitsA] = a.split('/');
    const [addressB, bitsB] = b.split('/');
    const hostBits = 32 - Math.min(Number(bitsA), Number(bitsB));
    return Math.floor(toNumber(addressA) / 2 ** hostBits) === Math.floor(toNumber(addressB) / 2 ** hostBits);
}

;// CONCATENATED MODULE: ./src/drivers/local/network.ts








/** Creates the bridge and claims a free /24 for it (recorded in `local.subnet`); the firewall rules follow. */
async function createNetwork(local, saveState) {
    const taken = await routedPrefixes();
    // A bridge takes the lowest address of its links unless given one; nodes attached later would
    // change it under the nodes already talking through it, whose packets to the old address the
    // host then drops until their ARP entry expires (tens of seconds).
    await privileged('ip', ['-batch', '-'], `link add ${local.bridge} address ${bridgeAddress(local)} type bridge\nlink set ${local.bridge} up\n`);
    const start = parseInt(bridgeHash(local), 16) % SUBNET_POOL.size;
    let subnet;
    for (const candidate of subnetCandidates(start)) {
        if (taken.some((prefix) => overlaps(prefix, candidate)))
            continue;
        await privileged('ip', ['addr', 'add', `${hostAddress(candidate, 1)}/24`, 'dev', local.bridge]);
        // Another cluster may have picked the same subnet at the same moment: re-check after claiming it.
        const others = (await routedPrefixes(local.bridge)).filter((prefix) => overlaps(prefix, candidate));
        if (others.length === 0) {
            subnet = candidate;
            break;
        }
        await privileged('ip', ['addr', 'del', `${hostAddress(candidate, 1)}/24`, 'dev', local.bridge]);
    }
    if (!subnet)
        throw new Error(`no free /24 is left in 198.18.0.0/15 on this runner; remove old clusters (bridges named ${PREFIX}*)`);
    local.subnet = subnet;
    saveState();
    lib_core/* info */.pq(`network ${subnet} on bridge ${local.bridge}`);
    const routing = Promise.all([addFirewallRules(local, subnet), enableIpForward()]).then(() => undefined);
    routing.catch(() => undefined); // awaited before any node joins the swarm
    const claimed = subnet;
    return { gateway: hostAddress(claimed, 1), nodeIp: (index) => hostAddress(claimed, index + 2), routing };
}
/**
 * The cluster's traffic through the runner's FORWARD chain, above Docker's rules (Docker sets its
 * policy to DROP): the nodes reach each other and, NATed, beyond the runner; what comes back to them
 * is only replies. Nothing else is forwarded to a node, whatever the chain's policy, so that no
 * neighbour of the runner reaches their engines, swarm ports or published ports (VXLAN is not
 * authenticated either). The runner itself reaches them directly, not through FORWARD.
 */
async function addFirewallRules(local, subnet) {
    const tagged = (rule) => `${rule} -m comment --comment ${local.tag}`;
    await privileged('iptables-restore', ['-w', '10', '--noflush'], [
        '*filter',
        // Each -I goes on top: the last one here is the first rule of the chain.
        tagged(`-I FORWARD -o ${local.bridge}`) + ' -j DROP',
        tagged(`-I FORWARD -o ${local.bridge} -m conntrack --ctstate RELATED,ESTABLISHED`) + ' -j ACCEPT',
        tagged(`-I FORWARD -i ${local.bridge}`) + ' -j ACCEPT',
        'COMMIT',
        '*nat',
        tagged(`-A POSTROUTING -s ${subnet} ! -o ${local.bridge}`) + ' -j MASQUERADE',
        'COMMIT',
        ''
    ].join('\n'));
}
/** Node `index`'s namespace, linked to the bridge, with its address and a default route. */
async function attachNode(local, index, ip, gateway) {
    const [netns, veth] = [local.netns[index], vethName(local, index)];
    await privileged('ip', ['-batch', '-'], [
        `netns add ${netns}`,
        `link add ${veth} group ${linkGroup(local)} type veth peer name eth0 netns ${netns}`,
        `link set ${veth} master ${local.bridge} up`,
        ''
    ].join('\n'));
    await privileged('ip', ['-n', netns, '-batch', '-'], ['link set lo up', `addr add ${ip}/24 dev eth0`, 'link set eth0 up', `route add default via ${gateway}`, ''].join('\n'));
}
/**
 * Deletes the nodes' links; they may go while the nodes' processes still run, so post does it while
 * it kills them. The cluster's group goes in one pass when it holds only the cluster's links (it
 * always does, but deleting a group deletes whatever is in it); any link left (a cluster made before
 * links had a group), one by one.
 */
async function removeNodeLinks(local) {
    const group = String(linkGroup(local));
    const ours = new Set(local.netns.map((_, index) => vethName(local, index)));
    const inGroup = await linksInGroup(local);
    if (inGroup.length && inGroup.every((name) => ours.has(name)))
        await privileged('ip', ['link', 'delete', 'group', group]);
    const rest = [...ours].filter(linkExists);
    if (rest.length)
        await privileged('ip', ['-force', '-batch', '-'], rest.map((name) => `link delete ${name}\n`).join(''), true);
}
/** Removes the namespaces (their processes must be gone), the links left, the bridge and firewall rules. */
async function removeNetwork(local, existingNetns, left) {
    const links = [...local.netns.map((_, index) => vethName(local, index)), local.bridge].filter(linkExists);
    const commands = [...existingNetns.map((netns) => `netns delete ${netns}`), ...links.map((link) => `link delete ${link}`)];
    const removing = commands.length
        ? left.attempt('the network namespaces and links', async () => {
            // One ip process for all of them; -force goes on past a veth its namespace already took along.
            const result = await privileged('ip', ['-force', '-batch', '-'], commands.join('\n') + '\n', true);
            const remaining = () => [...existingNetns.filter((netns) => (0,external_node_fs_.existsSync)(`${NETNS_DIR}/${netns}`)), ...links.filter(linkExists)];
            // The kernel removes a deleted namespace's veth pair a moment later.
            for (let wait = 0; wait < 50 && remaining().length; wait++)
                await (0,tools_wait/* sleep */.yy)(20);
            if (remaining().length)
                throw new Error(`${remaining().join(', ')} remain: ${result.stderr.trim()}`);
        })
        : undefined;
    await Promise.all([removing, left.attempt(`firewall rules tagged ${local.tag}`, () => removeFirewallRules(local.tag))]);
}
const linkExists = (name) => (0,external_node_fs_.existsSync)(`/sys/class/net/${name}`);
/** How long post waits for the kernel to let go of the cluster's links, which it may do a moment after their namespaces. */
const LINKS_GONE_MS = 5_000;
/**
 * Post returns only once the cluster's links are gone: any left by name (its bridge's name is their
 * prefix) or by its group is deleted again and waited for, bounded; what still stays is named.
 */
async function waitLinksGone(local) {
    const deadline = Date.now() + LINKS_GONE_MS;
    const deleteAgainAt = Date.now() + 1000;
    let deletedAgain = false;
    for (let left = await clusterLinks(local); left.length; left = await clusterLinks(local)) {
        if (Date.now() > deadline)
            throw new Error(`links ${left.join(', ')} are still on the runner ${LINKS_GONE_MS / 1000} s after their removal`);
        if (!deletedAgain && Date.now() > deleteAgainAt) {
            deletedAgain = true;
            await privileged('ip', ['-force', '-batch', '-'], left.map((name) => `link delete ${name}\n`).join(''), true);
        }
        await (0,tools_wait/* sleep */.yy)(20);
    }
}
/** The cluster's links on the runner: named after its bridge, or in its group. */
async function clusterLinks(local) {
    const named = (0,external_node_fs_.readdirSync)('/sys/class/net').filter((name) => name.startsWith(local.bridge));
    return [...new Set([...named, ...(await linksInGroup(local))])];
}
/** The links in the cluster's group. */
async function linksInGroup(local) {
    const { stdout } = await (0,tools_command/* run */.eF)(tool('ip'), ['-j', 'link', 'show', 'group', String(linkGroup(local))]);
    // iproute2 lists an empty object for each link the group filter left out.
    return JSON.parse(stdout || '[]').flatMap((link) => (link.ifname ? [link.ifname] : []));
}
async function removeFirewallRules(tag) {
    const saved = (await privileged('iptables-save', [])).stdout;
    const lines = [];
    let table = '';
    for (const line of saved.split('\n')) {
        if (line.startsWith('*'))
            table = line;
        else if (line.startsWith('-A ') && line.includes(tag))
            lines.push(table, line.replace(/^-A /, '-D '), 'COMMIT');
    }
    if (lines.length)
        await privileged('iptables-restore', ['-w', '10', '--noflush'], lines.join('\n') + '\n');
}
/** Every prefix the runner routes (but those of `exceptDevice`): a cluster's subnet must not overlap one. */
async function routedPrefixes(exceptDevice) {
    const { stdout } = await (0,tools_command/* run */.eF)(tool('ip'), ['-j', '-4', 'route', 'show', 'table', 'all']);
    const routes = JSON.parse(stdout || '[]');
    return routes
        .filter((route) => route.dst !== 'default' && route.dev !== exceptDevice)
        .map((route) => (route.dst.includes('/') ? route.dst : `${route.dst}/32`));
}

;// CONCATENATED MODULE: ./src/drivers/local/read-tail.ts

/** The last `maxBytes` of a file (a log's end is what tells), whatever its size. */
async function readTail(file, maxBytes) {
    const handle = await (0,promises_.open)(file, 'r');
    try {
        const { size } = await handle.stat();
        const length = Math.min(size, maxBytes);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, size - length);
        return `${size > length ? `[first ${size - length} bytes cut]\n` : ''}${buffer.toString('utf8')}`;
    }
    finally {
        await handle.close();
    }
}

;// CONCATENATED MODULE: ./src/drivers/local/index.ts




















// Each node: a dockerd in its own namespaces on a private bridge of the cluster (see node.ts).
const localDriver = {
    // A cluster of the same name already on the runner is refused by the claim on its names.
    async preflight() {
        if (process.platform !== 'linux') {
            throw new Error(`the \`local\` driver needs a Linux runner, this one is ${process.platform}; use \`runs-on: ubuntu-latest\`, or a docker-machine driver such as \`virtualbox\``);
        }
        const missing = missingTools();
        if (missing.length) {
            throw new Error(`the \`local\` driver needs ${missing.join(', ')} on the runner; install them, e.g. \`sudo apt-get install -y docker.io iproute2 iptables util-linux\``);
        }
        if (!(0,tools_command/* isRoot */.jX)() && (await (0,tools_command/* run */.eF)('sudo', ['-n', 'true'], { allowFailure: true, timeoutMs: 10_000 }).catch(() => ({ code: 1 }))).code !== 0) {
            throw new Error('the `local` driver needs root or passwordless sudo to create network namespaces and engines; GitHub-hosted Linux runners have it, a self-hosted runner needs `NOPASSWD` sudo for its user');
        }
    },
    async claim(inputs, state, saveState) {
        const local = localNames(inputs.name, inputs.nodes.length, state.owner.repository);
        local.claim = await claimNames(inputs.name, local, state.owner);
        state.driverState = local;
        saveState();
    },
    async create(nodes, context) {
        // Claimed and recorded before the cluster's dir was written (claim).
        const local = context.state.driverState;
        await noteNetnsMount();
        const network = await createNetwork(local, context.saveState);
        const paths = localPaths(context.state.dir);
        await (0,promises_.writeFile)(paths.resolvConf, await nodeResolvConf());
        const nodeDir = (index) => external_node_path_default().join(paths.nodes, nodes[index].name);
        const freezer = freezerHierarchy();
        const startOf = (index, onSpawned) => ({
            node: nodes[index],
            ip: network.nodeIp(index),
            netns: local.netns[index],
            cgroupParent: nodeCgroup(local, index),
            engineCgroup: freezer && external_node_path_default().join(freezer.path, engineCgroup(local, index)),
            resolvConf: paths.resolvConf,
            dir: nodeDir(index),
            tls: context.tls,
            deadline: context.deadline,
            onSpawned
        });
        /** The node's link on the bridge and its files: all its engine needs to start. */
        const prepareAt = (index) => {
            const start = startOf(index);
            return Promise.all([attachNode(local, index, start.ip, network.gateway), writeNodeFiles(start)]).then(() => undefined);
        };
        const startAt = async (index, onSpawned, prepared) => {
            await (prepared ?? prepareAt(index));
            const started = await startNode(startOf(index, onSpawned));
            // The swarm forms over the bridge: once its firewall rules are in place.
            network.routing.then(() => context.nodeReady(started, { engineAnswers: true }), () => undefined);
            return started;
        };
        const startAll = async () => {
            const images = context.images ?? [];
            if (images.length === 0)
                return startManagersFirst(nodes, startAt);
            // With images: the first node starts and loads them, the others start with its image store. The
            // runner's engine stages its export while the first engine starts.
            return startSharingFirst(images, startSave(images));
        };
        /**
         * The first node starts and loads the images; the others start with its image store (hard
         * links), so that 7 nodes take as long as 1. Their links and files are made meanwhile.
         */
        const startSharingFirst = async (images, save) => {
            const rest = nodes.slice(1).map((_, i) => i + 1);
            const prepared = new Map(rest.map((index) => [index, prepareAt(index)]));
            for (const preparing of prepared.values())
                preparing.catch(() => undefined); // awaited by startAt
            let first;
            try {
                first = settled(await Promise.allSettled([startAt(0)]));
            }
            catch (error) {
                save.kill('SIGKILL');
                await Promise.allSettled(prepared.values());
                throw error;
            }
            const store = await loadIntoFirstNode(first[0], nodeFiles(nodeDir(0)).dataRoot, images, context.tls.client, context.deadline, save).catch(async (error) => {
                await Promise.allSettled(prepared.values());
                throw error;
            });
            const copying = Date.now();
            await Promise.all(rest.map(async (index) => (await (0,engine_tls/* makePrivateDir */.hI)(nodeDir(index)), copyImageStore(store, nodeFiles(nodeDir(index)).dataRoot))));
            if (rest.length)
                lib_core/* info */.pq(`the image store of ${nodes[0].name} shared with ${rest.length} node(s) (hard links) in ${((Date.now() - copying) / 1000).toFixed(2)} s`);
            return [...first, ...settled(await Promise.allSettled(rest.map((index) => startAt(index, undefined, prepared.get(index)))))];
        };
        // Every start (each is bounded) and the firewall rules settle before a failure is reported:
        // nothing of main is still creating things when post starts removing them.
        const started = await startAll().finally(() => network.routing.catch(() => undefined));
        await network.routing;
        return started;
    },
    async remove(state) {
        const left = new Leftovers();
        const local = heldNames(state.driverState);
        const existing = local ? local.netns.filter((netns) => (0,external_node_fs_.existsSync)(external_node_path_default().join(NETNS_DIR, netns))) : [];
        // The links go first: deleting one waits until the node's processes let go of it, which they do
        // as they die. The kernel unlists them at once.
        const unlinking = local && left.attempt("the nodes' links", () => removeNodeLinks(local));
        let killed = [];
        // A frozen process (fault `pause`) cannot die: every node is thawed first.
        if (local)
            await left.attempt('the paused nodes to thaw', () => thawAll(local));
        await left.attempt(`the processes of node namespaces ${existing.join(', ')}`, async () => (killed = await killNodes(existing)));
        // Once every process is killed, the network and the files can go while the processes exit (a
        // namespace lives on until its last process has); the cgroups only once they have.
        const { nodes } = localPaths(state.dir);
        await Promise.all([
            unlinking,
            local && removeNetwork(local, existing, left),
            (0,external_node_fs_.existsSync)(nodes) && left.attempt(nodes, () => privileged('rm', ['-rf', '--', nodes])),
            left
                .attempt('the killed processes to exit', () => waitExited(killed))
                .then(() => local && left.attempt(`cgroups ${local.cgroupParent}`, () => removeCgroups(local.cgroupParent)))
        ]);
        if (local)
            await left.attempt("the cluster's links to go", () => waitLinksGone(local));
        // Last: it restores the host only when no other cluster's bridge is left, this one's included.
        if (local)
            await left.attempt('the host settings changed for the clusters', undoHostChanges);
        // The names stay claimed while anything of the cluster is left: no other run makes a cluster into its remains.
        if (local && left.items.length)
            left.items.push(`${claimFile(local)}: delete it once the above are removed (it keeps the cluster's names from other runs)`);
        else if (local)
            await left.attempt(claimFile(local), () => releaseClaim(local));
        return left.items;
    },
    findKept: findKeptLocal,
    destroyKept(request) {
        return destroyKeptLocal(request.name, request.owner, (state) => localDriver.remove(state));
    },
    faultsSupported: () => ['stop', 'start', 'pause', 'resume', 'partition', 'heal'],
    faultState: localFaultState,
    injectFault: injectLocalFault,
    async engineLog(state, node, limits) {
        // The engine's stdout and stderr, which main opened for it as the runner user: readable without root.
        return readTail(nodeFiles(external_node_path_default().join(localPaths(state.dir).nodes, node.name)).log, limits.maxBytes);
    }
};
/**
 * The swarm waits on the first manager (its engine, then \`swarm init\`) and then on the other
 * managers' joins; workers join in a moment. Every engine starting at once on a runner with few
 * cores slows the first one down (7 engines on 2 cores: about 0.9 s instead of 0.3 s), so the first
 * manager starts alone, the other managers once its engine runs, and the workers once it answers:
 * they are up by the time the swarm is initialised. The nodes come back in their given order.
 */
async function startManagersFirst(nodes, startAt) {
    const indexes = nodes.map((_, index) => index);
    const [leader, ...otherManagers] = indexes.filter((index) => nodes[index].role === 'manager');
    let spawned = () => { };
    const leaderSpawned = new Promise((resolve) => (spawned = resolve));
    const leaderStart = startAt(leader, spawned);
    const starts = new Map([[leader, leaderStart]]);
    const leaderFailed = leaderStart.then(() => false, () => true);
    // Without the first manager the swarm cannot form: no more nodes are made once it failed.
    if (!(await Promise.race([leaderSpawned.then(() => false), leaderFailed]))) {
        for (const index of otherManagers)
            starts.set(index, startAt(index));
        if (!(await leaderFailed))
            for (const index of indexes.filter((index) => !starts.has(index)))
                starts.set(index, startAt(index));
    }
    return settled(await Promise.allSettled([...starts.keys()].sort((a, b) => a - b).map((index) => starts.get(index))));
}
/** The started nodes, or every start's error together. */
function settled(results) {
    const failed = results.filter((result) => result.status === 'rejected');
    if (failed.length)
        throw new Error(failed.map((result) => result.reason.message).join('\n'));
    return results.map((result) => result.value);
}


/***/ })

};
