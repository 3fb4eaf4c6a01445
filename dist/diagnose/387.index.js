export const id = 387;
export const ids = [387];
export const modules = {

/***/ 88987:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lt: () => (/* binding */ hasFlag),
/* harmony export */   Og: () => (/* binding */ createArgs),
/* harmony export */   qg: () => (/* binding */ machineStoragePath),
/* harmony export */   vm: () => (/* binding */ machineCommand),
/* harmony export */   w$: () => (/* binding */ lastLines),
/* harmony export */   y6: () => (/* binding */ flagValue)
/* harmony export */ });
/* unused harmony export machineEnv */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _tools_command_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(58974);


// How docker-machine is called: the environment of every call, and the create command line.
/** docker-machine's MACHINE_STORAGE_PATH, under the cluster's dir. */
const machineStoragePath = (clusterDir) => node_path__WEBPACK_IMPORTED_MODULE_0___default().join(clusterDir, 'machine');
/** The environment of every docker-machine call: private storage, no crash reports to a third party. */
function machineEnv(storagePath, base = process.env) {
    return { ...base, MACHINE_STORAGE_PATH: storagePath, MACHINE_BUGSNAG_API_TOKEN: 'no-report' };
}
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** docker-machine with the run's storage; the caller reads the exit code. */
function machineCommand(binary, storagePath, base) {
    const env = machineEnv(storagePath, base);
    return (args, timeoutMs = DEFAULT_TIMEOUT_MS) => (0,_tools_command_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .eF)(binary, args, { env, timeoutMs, allowFailure: true });
}
const tlsFlags = (tls) => [
    '--tls-ca-cert',
    tls.caCert,
    '--tls-ca-key',
    tls.caKey,
    '--tls-client-cert',
    tls.clientCert,
    '--tls-client-key',
    tls.clientKey
];
/** `docker-machine create` argv: global flags first, every create flag before the name. */
function createArgs(driver, node, driverOpts, tls) {
    const opts = [...driverOpts, ...node.createOpts];
    return [...tlsFlags(tls), 'create', '-d', driver, ...opts, ...driverDefaults(driver, opts), node.name];
}
function driverDefaults(driver, opts) {
    // VirtualBox 6.1.28 and later accept host-only networks in 192.168.56.0/21 only.
    if (driver === 'virtualbox' && !opts.some((opt) => opt.startsWith('--virtualbox-hostonly-cidr'))) {
        return ['--virtualbox-hostonly-cidr', '192.168.56.1/24'];
    }
    return [];
}
/** The end of what a failed command said, for an error message. */
const lastLines = (result) => (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n');
/** The value of a create flag (`--flag value` or `--flag=value`) among option words; the last one wins. */
function flagValue(opts, flag) {
    let value;
    opts.forEach((word, index) => {
        if (word === flag)
            value = opts[index + 1];
        else if (word.startsWith(`${flag}=`))
            value = word.slice(flag.length + 1);
    });
    return value;
}
const hasFlag = (opts, flag) => opts.some((word) => word === flag || word.startsWith(`${flag}=`));


/***/ }),

/***/ 99387:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  machineDriver: () => (/* binding */ machineDriver)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/engine/tls.ts
var engine_tls = __webpack_require__(21907);
// EXTERNAL MODULE: ./src/state/cluster.ts
var cluster = __webpack_require__(18611);
// EXTERNAL MODULE: ./src/state/owner.ts
var owner = __webpack_require__(9622);
// EXTERNAL MODULE: ./src/state/record.ts
var state_record = __webpack_require__(10388);
// EXTERNAL MODULE: ./src/drivers/machine/cli.ts
var cli = __webpack_require__(88987);
;// CONCATENATED MODULE: ./src/drivers/machine/engine-log.ts

// A machine's engine log, read over `docker-machine ssh`: systemd hosts keep it in the journal,
// boot2docker in /var/log/docker.log. Bounded in time by the command, in size on the host (tail -c).
const READ_LOG = (maxBytes) => `if command -v journalctl >/dev/null 2>&1 && sudo -n journalctl -u docker --no-pager -n 1 >/dev/null 2>&1; ` +
    `then sudo -n journalctl -u docker --no-pager -o short-iso | tail -c ${maxBytes}; ` +
    `else sudo -n tail -c ${maxBytes} /var/log/docker.log 2>/dev/null || tail -c ${maxBytes} /var/log/docker.log; fi`;
async function machineEngineLog(machine, name, limits) {
    const result = await machine(['ssh', name, READ_LOG(limits.maxBytes)], limits.timeoutMs);
    if (result.code !== 0)
        throw new Error(`docker-machine ssh ${name} could not read the engine log: ${(0,cli/* lastLines */.w$)(result)}`);
    return result.stdout;
}

// EXTERNAL MODULE: ./src/engine/api.ts
var api = __webpack_require__(76750);
;// CONCATENATED MODULE: ./src/drivers/machine/host-endpoints.ts


// Hosts that docker-machine does not create (`none`, `generic`) are where their flags say: a later
// run finds a kept cluster's engines there, and a destroy by name reaches them, without docker-machine.
const HOSTS_OUTLIVE_REMOVAL = ['none', 'generic'];
/** The node's engine, from its create flags (the node's own after `driver-opts`: the last one wins). */
function hostEndpoint(driver, node, driverOpts) {
    const opts = [...driverOpts, ...node.createOpts];
    const where = `input \`nodes\`, node ${node.name}`;
    if (driver === 'none') {
        const url = (0,cli/* flagValue */.y6)(opts, '--url');
        if (!url)
            throw new Error(`${where}: no --url: a \`none\` host's engine is where --url says`);
        const ip = new URL(url).hostname;
        return { name: node.name, role: node.role, ip, advertiseIp: ip, dockerHost: url };
    }
    if (driver === 'generic') {
        const ip = (0,cli/* flagValue */.y6)(opts, '--generic-ip-address');
        if (!ip)
            throw new Error(`${where}: no --generic-ip-address`);
        const port = (0,cli/* flagValue */.y6)(opts, '--generic-engine-port') ?? String(api/* ENGINE_PORT */.Xg);
        return { name: node.name, role: node.role, ip, advertiseIp: ip, dockerHost: `tcp://${ip}:${port}` };
    }
    throw new Error(`driver ${driver}: its hosts are not given by flags`);
}

// EXTERNAL MODULE: ./node_modules/@actions/tool-cache/lib/tool-cache.js + 2 modules
var tool_cache = __webpack_require__(59805);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/inputs/names.ts
var names = __webpack_require__(85585);
;// CONCATENATED MODULE: ./src/drivers/machine/installer.ts








const TOOL = 'docker-machine';
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
/** Checksum files published beside the assets: the GitLab fork's, then upstream's. */
const CHECKSUM_FILES = ['release.sha256', 'sha256sum.txt'];
/** The release asset for a runner, as docker-machine names them (`uname -s`-`uname -m`). */
function assetName(platform = process.platform, arch = process.arch) {
    const os = { linux: 'Linux', darwin: 'Darwin', win32: 'Windows' }[platform];
    const cpu = { x64: 'x86_64', arm64: platform === 'linux' ? 'aarch64' : 'arm64' }[arch];
    if (!os || !cpu)
        throw new Error(`docker-machine has no release for ${platform}/${arch}; use a Linux, macOS or Windows runner on x64 or arm64`);
    return `${TOOL}-${os}-${cpu}${platform === 'win32' ? '.exe' : ''}`;
}
const executableName = () => (process.platform === 'win32' ? `${TOOL}.exe` : TOOL);
/**
 * The tool cache's version for a release: the release, and a hash of the URL it is downloaded from,
 * so that a binary cached from another `machine-url` is never taken for this one. tool-cache keys by
 * semver, and semver drops build metadata (`+…`): the hash is the last prerelease identifier.
 */
function cacheVersion(version, url) {
    const release = (0,names/* checkMachineVersion */.wd)(version).replace(/^v/, '');
    const urlHash = (0,external_node_crypto_.createHash)('sha256').update(url).digest('hex').slice(0, 16);
    return `${release}${release.includes('-') ? '.' : '-'}url-${urlHash}`;
}
/**
 * Installs docker-machine into the tool cache, or finds it there, puts it on PATH, and returns its
 * path. The tool cache is shared by every job of a self-hosted runner (and a planted binary there
 * would receive the CA key and cloud credentials), so a cached binary is checked on every use, as a
 * download is: against `machine-sha256`, or the checksum file published beside the release.
 */
async function installMachine(machine) {
    const asset = assetName();
    const url = `${machine.url}/${machine.version}/${asset}`;
    const version = cacheVersion(machine.version, url);
    // tool-cache would leave its downloads in RUNNER_TEMP: ours go into a directory we remove.
    const downloads = await (0,promises_.mkdtemp)(external_node_path_default().join(process.env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'setup-swarm-download-'));
    const expectedSha256 = async () => machine.sha256 || (await publishedChecksum(machine, asset, downloads));
    try {
        const cached = tool_cache/* find */.I6(TOOL, version);
        if (cached) {
            const binary = external_node_path_default().join(cached, executableName());
            const expected = await expectedSha256();
            const from = machine.sha256 ? '`machine-sha256`' : `the checksum file of ${machine.version}`;
            const sha256 = await verified(binary, expected, (actual) => `the cached docker-machine ${binary} has SHA-256 ${actual}, expected ${expected} (${from}): it is not the release of ${url}, and was not run; remove ${cached} from the tool cache`);
            core/* info */.pq(`docker-machine ${machine.version} found in the tool cache (${cached}), SHA-256 ${sha256}`);
            core/* addPath */.fM(cached);
            return { binary, sha256 };
        }
        core/* info */.pq(`downloading ${url}`);
        const downloaded = await bounded(tool_cache/* downloadTool */.bq(url, external_node_path_default().join(downloads, asset)), `downloading ${url}`).catch((error) => {
            throw new Error(`cannot download docker-machine from ${url}: ${error.message}; check \`machine-version\` and \`machine-url\``);
        });
        const expected = await expectedSha256();
        const sha256 = await verified(downloaded, expected, (actual) => `the SHA-256 of ${url} is ${actual}, expected ${expected}; the download is corrupt or the checksum is wrong (\`machine-sha256\`)`);
        await (0,promises_.chmod)(downloaded, 0o755);
        const dir = await tool_cache/* cacheFile */.NJ(downloaded, executableName(), TOOL, version);
        core/* addPath */.fM(dir);
        core/* info */.pq(`docker-machine ${machine.version} installed, SHA-256 ${sha256}`);
        return { binary: external_node_path_default().join(dir, executableName()), sha256 };
    }
    finally {
        await (0,promises_.rm)(downloads, { recursive: true, force: true });
    }
}
/**
 * Refuses a docker-machine that a record names (the diagnose action reads it from cluster.json)
 * unless it is the one main installed: in this runner's tool cache, with the SHA-256 main verified.
 */
async function checkInstalledMachine(binary, sha256) {
    const cacheRoot = external_node_path_default().join(process.env.RUNNER_TOOL_CACHE || '', TOOL);
    // <tool cache>/docker-machine/<version>/<arch>/docker-machine, as tool-cache lays it out.
    const parts = external_node_path_default().relative(cacheRoot, binary).split((external_node_path_default()).sep);
    const inCache = process.env.RUNNER_TOOL_CACHE && parts.length === 3 && !parts.includes('..') && parts[2] === executableName();
    if (!inCache || !sha256)
        throw new Error(`${binary} is not a docker-machine this action installed in ${cacheRoot}: not running it`);
    await verified(binary, sha256, (actual) => `${binary} has SHA-256 ${actual}, not that of the docker-machine main installed (${sha256}): not running it`);
}
/** The file's SHA-256, when it is the expected one; otherwise `mismatch` says what is wrong. */
async function verified(file, expected, mismatch) {
    const actual = await sha256Of(file);
    if (actual !== expected)
        throw new Error(mismatch(actual));
    return actual;
}
async function publishedChecksum(machine, asset, downloads) {
    const tried = [];
    for (const file of CHECKSUM_FILES) {
        const url = `${machine.url}/${machine.version}/${file}`;
        tried.push(url);
        const downloaded = await bounded(tool_cache/* downloadTool */.bq(url, external_node_path_default().join(downloads, file)), `downloading ${url}`).catch(() => undefined);
        if (!downloaded)
            continue;
        const sum = parseChecksumFile(await (0,promises_.readFile)(downloaded, 'utf8'), asset);
        if (sum)
            return sum;
        throw new Error(`${url} has no checksum for ${asset}; pass \`machine-sha256\``);
    }
    throw new Error(`no checksum published for docker-machine ${machine.version} (tried ${tried.join(', ')}); pass \`machine-sha256\``);
}
/** Reads `sha256sum` output: "<hex>  <file>" or "<hex> *<file>". */
function parseChecksumFile(text, asset) {
    for (const line of text.split('\n')) {
        const match = /^([0-9a-fA-F]{64})\s+\*?(\S.*)$/.exec(line.trim());
        if (match && external_node_path_default().basename(match[2].trim()) === asset)
            return match[1].toLowerCase();
    }
    return undefined;
}
function sha256Of(file) {
    return new Promise((resolve, reject) => {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        (0,external_node_fs_.createReadStream)(file)
            .on('data', (chunk) => hash.update(chunk))
            .on('end', () => resolve(hash.digest('hex')))
            .on('error', reject);
    });
}
function bounded(work, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took longer than ${DOWNLOAD_TIMEOUT_MS / 1000} s`)), DOWNLOAD_TIMEOUT_MS);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

;// CONCATENATED MODULE: ./src/drivers/machine/faults.ts




// Faults of docker-machine nodes: the driver's own power off and on (`docker-machine stop` and
// `start`, which wait until the machine is Stopped, or Running with its engine up). `none` and
// `generic` hosts are not docker-machine's to power: their drivers refuse both. Whether a node is
// stopped is asked of the provider each time (`ls --filter state=Stopped`), never remembered.
const machineFaultsSupported = (driver) => (HOSTS_OUTLIVE_REMOVAL.includes(driver) ? [] : ['stop', 'start']);
/** docker-machine as main installed it for this cluster, checked before it runs: the state comes from a file. */
async function installedMachine(state) {
    const binary = state.driverState?.binary;
    if (!binary)
        throw new Error(`docker-machine did not make ${state.name}'s machines on this runner: it cannot stop or start them here`);
    await checkInstalledMachine(binary, state.driverState?.sha256);
    return (0,cli/* machineCommand */.vm)(binary, (0,cli/* machineStoragePath */.qg)(state.dir));
}
async function machineFaultState(state, nodes) {
    // Nothing to find where nothing can be injected, nor on a runner whose docker-machine did not make the machines.
    if (!machineFaultsSupported(state.driver).length || !state.driverState?.binary)
        return new Map();
    const machine = await installedMachine(state);
    const result = await machine(['ls', '-q', '--filter', 'state=Stopped'], 60_000);
    if (result.code !== 0)
        throw new Error(`docker-machine ls could not tell which machines are stopped: ${(0,cli/* lastLines */.w$)(result)}`);
    const stopped = new Set(result.stdout.split('\n').map((line) => line.trim()));
    return new Map(nodes.map((node) => [node.name, { stopped: stopped.has(node.name), paused: false, partitioned: false }]));
}
/**
 * Stops or starts the machines, all in one docker-machine call (it acts on them at once). Returns the
 * nodes that came back at another address (a cloud instance without a fixed public address, a VM
 * whose DHCP lease changed), with that address.
 */
async function injectMachineFault(state, request) {
    if (request.fault !== 'stop' && request.fault !== 'start')
        throw new Error(`docker-machine nodes cannot ${request.fault}`);
    const machine = await installedMachine(state);
    const names = request.nodes.map((node) => node.name);
    const result = await machine([request.fault, ...names], Math.max(1000, request.deadline.remainingMs()));
    if (result.code !== 0)
        throw new Error(`docker-machine ${request.fault} ${names.join(' ')} failed: ${(0,cli/* lastLines */.w$)(result)}`);
    return request.fault === 'start' ? movedNodes(machine, request.nodes) : [];
}
/**
 * The started nodes whose address changed, with their new one. The engine's certificate names the
 * old address, so it is made again for the new one (`regenerate-certs`, with the CA the machine was
 * created with); the swarm keeps the address each node advertised when it joined.
 */
async function movedNodes(machine, nodes) {
    const moved = await Promise.all(nodes.map(async (node) => {
        const result = await machine(['ip', node.name], 60_000);
        const ip = result.stdout.trim();
        if (result.code !== 0 || !ip)
            throw new Error(`docker-machine ip ${node.name} failed after its start: ${(0,cli/* lastLines */.w$)(result)}`);
        if (ip === node.ip)
            return undefined;
        core/* info */.pq(`${node.name} came back at ${ip}, not ${node.ip}: regenerating its engine's certificate for that address`);
        const regenerated = await machine(['regenerate-certs', '--force', node.name]);
        if (regenerated.code !== 0)
            throw new Error(`docker-machine regenerate-certs ${node.name} failed: ${(0,cli/* lastLines */.w$)(regenerated)}`);
        const url = new URL(node.dockerHost);
        url.hostname = ip;
        return { ...node, ip, advertiseIp: node.advertiseIp === node.ip ? ip : node.advertiseIp, dockerHost: url.toString().replace(/\/$/, '') };
    }));
    return moved.filter((node) => node !== undefined);
}

// EXTERNAL MODULE: ./src/tools/wait.ts
var wait = __webpack_require__(15874);
;// CONCATENATED MODULE: ./src/swarm/members.ts

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
    await pollUntil(deadline, 'every node to be Ready', async () => {
        listed = new Map((await manager.nodes()).map((entry) => [entry.ID, entry]));
        return notReady().length === 0;
    }, { intervalMs: 200, describe: () => `not ready yet: ${notReady().join(', ')}; ${PORTS_HINT}` });
    return listed;
}

;// CONCATENATED MODULE: ./src/drivers/machine/kept-hosts.ts




// Hosts the user owns (`none`, `generic`) outlive a kept cluster: a later run finds its swarm on
// them, and a destroy by name has them leave it, with no docker-machine and no state, only the
// hosts (main's `nodes`) and the client certificate.
/** The hosts, when the first one is in a swarm (attachSwarm then checks it is this cluster's); else undefined. */
async function findKeptHosts({ inputs, tls }) {
    const nodes = inputs.nodes.map((node) => hostEndpoint(inputs.driver, node, inputs.machine.driverOpts));
    if (!tls)
        return undefined;
    const engine = new api/* Engine */.N$(nodes[0].dockerHost, tls);
    try {
        // A host that does not answer yet (a `generic` host before docker-machine installed its engine) holds no kept swarm.
        const info = await engine.info().catch((error) => (core/* debug */.Yz(`no kept swarm on ${nodes[0].name}: ${error.message}`), undefined));
        return info?.Swarm.LocalNodeState === 'active' ? nodes : undefined;
    }
    finally {
        engine.close();
    }
}
/**
 * Every host that is in this cluster's swarm leaves it (workers first, then managers, forced: the
 * swarm goes with its last manager). A manager is this cluster's when its swarm carries the
 * cluster's label; a worker when its managers are this cluster's managers.
 */
async function destroyKeptHosts(request) {
    if (!request.tls)
        throw new Error('inputs `tls-ca-cert`, `tls-client-cert`, `tls-client-key`: needed to reach the hosts');
    const nodes = request.nodes.map((node) => hostEndpoint(request.driver, node, request.driverOpts));
    const tls = request.tls;
    const views = nodes.map((node) => ({ node, engine: new api/* Engine */.N$(node.dockerHost, tls) }));
    const removed = [];
    const leftovers = [];
    try {
        await Promise.all(views.map(async (view) => {
            view.info = await view.engine.info().catch((error) => {
                leftovers.push(`${view.node.name} (${view.node.dockerHost}) does not answer (${error.message}); on it, run \`docker swarm leave --force\``);
                return undefined;
            });
            if (view.info?.Swarm.LocalNodeState === 'active' && view.info.Swarm.ControlAvailable) {
                view.label = (await view.engine.swarm()).Spec.Labels?.[CLUSTER_LABEL] ?? '';
            }
        }));
        const managers = views.filter((view) => view.label !== undefined);
        const ours = managers.filter((view) => view.label === request.name);
        // Its managers gone already (an earlier destroy halfway): workers of the managers the inputs name, but those of another cluster.
        const managerAddresses = (ours.length ? ours : views.filter((view) => view.node.role === 'manager' && !managers.includes(view))).map((view) => joinAddress(view.node));
        const workers = views.filter((view) => view.label === undefined &&
            view.info?.Swarm.LocalNodeState === 'active' &&
            view.info.Swarm.RemoteManagers?.some((manager) => managerAddresses.includes(manager.Addr)));
        const leave = async (view) => {
            try {
                await view.engine.leave(30_000);
                removed.push(`${view.node.name} (${view.node.ip}) left the swarm of cluster ${request.name}`);
            }
            catch (error) {
                leftovers.push(`${view.node.name} (${view.node.dockerHost}) could not leave the swarm: ${error.message}; on it, run \`docker swarm leave --force\``);
            }
        };
        await Promise.all(workers.map(leave));
        await Promise.all(ours.map(leave));
        for (const view of views.filter((view) => view.info && !workers.includes(view) && !ours.includes(view))) {
            core/* info */.pq(`${view.node.name} is not in the swarm of cluster ${request.name}: left as it is`);
        }
        return { removed, leftovers };
    }
    finally {
        for (const view of views)
            view.engine.close();
    }
}

;// CONCATENATED MODULE: ./src/drivers/machine/machines.ts




// One machine per node: created (with retries) and removed, side by side.
async function createMachine(machine, node, args, retries, deadline) {
    for (let attempt = 0;; attempt++) {
        core/* info */.pq(`creating ${node.name}${attempt ? ` (retry ${attempt} of ${retries})` : ''}`);
        const result = await machine(args, Math.max(1000, deadline.remainingMs()));
        if (result.code === 0) {
            core/* info */.pq(`created ${node.name}`);
            return describeMachine(machine, node);
        }
        const message = (0,cli/* lastLines */.w$)(result);
        // A failed create leaves its record behind: a retry would say "already exists". A record
        // whose half-made machine the provider will not remove stays, for post to try again.
        const notRemoved = await removeMachine(machine, node.name, { force: false });
        if (notRemoved || attempt >= retries || deadline.expired()) {
            throw new Error(`docker-machine create ${node.name} failed${attempt ? ` ${attempt + 1} times` : ''}: ${message}`);
        }
        core/* warning */.$e(`docker-machine create ${node.name} failed, retrying: ${message}`);
    }
}
/**
 * Removes a machine and its record; returns what could not be removed. `rm -f` would drop the
 * record even when the provider failed to delete the machine (it only logs that), so removal
 * runs without -f, once more on a failure, and only then, with `force`, drops the record.
 */
async function removeMachine(machine, name, { force }) {
    let message = '';
    for (let attempt = 0; attempt < 2; attempt++) {
        if (attempt)
            await (0,wait/* sleep */.yy)(2000);
        const result = await machine(['rm', '-y', name]).catch((error) => ({ code: 1, stdout: '', stderr: error.message }));
        message = (0,cli/* lastLines */.w$)(result);
        if (result.code === 0 || /does not exist/i.test(message)) {
            core/* info */.pq(`removed machine ${name}`);
            return undefined;
        }
    }
    if (force)
        await machine(['rm', '-f', '-y', name]);
    return `machine ${name}: ${message}; it may still exist at the provider: remove it there by hand`;
}
/**
 * A machine's engine and addresses from its record (`ip` and `env` have quirks: host:port for none,
 * $SHELL). A cloud machine's nodes talk on its private address; the runner reaches the public one.
 */
function machineEndpoint(record) {
    const { URL: url, IPAddress: address, PrivateIPAddress: privateAddress, EnginePort: port } = record.Driver;
    // `none` keeps host:port in IPAddress: its URL is the truth where there is one.
    const ip = url ? new URL(url).hostname : address;
    return ip ? { ip, advertiseIp: privateAddress || ip, dockerHost: url || `tcp://${ip}:${port || api/* ENGINE_PORT */.Xg}` } : undefined;
}
async function inspectMachine(machine, name) {
    const result = await machine(['inspect', name], 30_000);
    if (result.code !== 0)
        throw new Error(`docker-machine inspect ${name} failed: ${result.stderr.trim()}`);
    return JSON.parse(result.stdout);
}
async function describeMachine(machine, node) {
    const endpoint = machineEndpoint(await inspectMachine(machine, node.name));
    if (!endpoint)
        throw new Error(`docker-machine has no address for ${node.name}; its driver reported neither an IP address nor a URL`);
    return { name: node.name, role: node.role, ...endpoint };
}

;// CONCATENATED MODULE: ./src/drivers/machine/leave-swarm.ts





/** Hosts that outlive `rm` (`none`, `generic`) leave this cluster's swarm, and no other, to be usable again. */
async function leaveSwarm(machine, names, certDir, swarm) {
    const client = (0,engine_tls/* clientCertDir */.XQ)(certDir);
    if (!(0,external_node_fs_.existsSync)(client.key))
        return;
    const tls = await (0,engine_tls/* readClientTls */.Z$)(client);
    await Promise.all(names.map(async (name) => {
        const endpoint = machineEndpoint(await inspectMachine(machine, name).catch(() => ({ Driver: {} })));
        if (!endpoint)
            return;
        const engine = new api/* Engine */.N$(endpoint.dockerHost, tls);
        try {
            if (!isMember((await engine.info()).Swarm, swarm))
                return;
            await engine.leave(15_000);
            core/* info */.pq(`${name} left the swarm`);
        }
        catch (error) {
            core/* warning */.$e(`${name} could not leave the swarm at ${swarm.managerAddress}: ${error.message}; run \`docker swarm leave --force\` on it`);
        }
        finally {
            engine.close();
        }
    }));
}
/** A manager knows its swarm's ID; a worker only where its managers are. */
function isMember(node, swarm) {
    if (node.Cluster?.ID)
        return node.Cluster.ID === swarm.id;
    return Boolean(node.RemoteManagers?.some((manager) => manager.Addr === swarm.managerAddress));
}

// EXTERNAL MODULE: ./src/tools/command.ts
var tools_command = __webpack_require__(58974);
;// CONCATENATED MODULE: ./src/drivers/machine/virtualbox.ts



/** What a Linux runner needs before VirtualBox VMs can start there. */
function virtualBoxPreparation(has) {
    const steps = [];
    if (!has.vboxManage) {
        // sudo resets the environment: the frontend goes in through env.
        const aptGet = (...args) => ['env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]];
        steps.push(aptGet('update', '-q'), aptGet('install', '-y', '-q', 'virtualbox'));
    }
    // VirtualBox cannot start a VM while KVM holds VT-x/AMD-V (VERR_VMX_IN_USE / VERR_SVM_IN_USE).
    if (has.kvmModules.length)
        steps.push(['modprobe', ['-r', ...has.kvmModules]]);
    return steps;
}
async function prepareVirtualBox() {
    if (process.platform !== 'linux')
        return;
    // Only a loaded module has an initstate; a built-in kvm has its directory too.
    const kvmModules = ['kvm_intel', 'kvm_amd', 'kvm'].filter((name) => (0,external_node_fs_.existsSync)(`/sys/module/${name}/initstate`));
    for (const [command, args] of virtualBoxPreparation({ vboxManage: Boolean((0,tools_command/* findExecutable */.oq)('VBoxManage')), kvmModules })) {
        core/* info */.pq(`${command} ${args.join(' ')}`);
        await (0,tools_command/* run */.eF)(command, args, { privileged: true, timeoutMs: 15 * 60_000 });
    }
}

;// CONCATENATED MODULE: ./src/drivers/machine/index.ts
















// Every driver but `local` is a docker-machine driver: one machine per node, created in
// parallel, with the run's CA passed in (docker-machine's own first-create CA is racy).
const PROGRESS_EVERY_MS = 15_000;
const storagePath = (state) => (0,cli/* machineStoragePath */.qg)(state.dir);
/** The AWS SDK is most of the bundle's size: only an amazonec2 cluster loads it. */
const loadEc2 = () => Promise.all(/* import() */[__webpack_require__.e(193), __webpack_require__.e(741), __webpack_require__.e(143)]).then(__webpack_require__.bind(__webpack_require__, 63143));
const loadEc2Cluster = () => Promise.all(/* import() */[__webpack_require__.e(193), __webpack_require__.e(741)]).then(__webpack_require__.bind(__webpack_require__, 77741));
/** amazonec2's create flags and environment, from prepare to create; never saved (the environment holds credentials). */
const ec2Setups = new WeakMap();
const machineDriver = {
    async preflight(inputs) {
        // docker-machine itself is installed in prepare; a provider's own needs are checked now.
        if (inputs.driver === 'amazonec2')
            (await loadEc2()).preflightEc2(inputs);
        if (HOSTS_OUTLIVE_REMOVAL.includes(inputs.driver) && !inputs.cleanup && !inputs.tls) {
            throw new Error(`inputs \`tls-ca-cert\`, \`tls-ca-key\`, \`tls-client-cert\`, \`tls-client-key\`: a kept ${inputs.driver} cluster (\`cleanup: false\`) is found again and destroyed by name only with the CA its hosts trust: give your own`);
        }
    },
    async findKept(lookup) {
        const { inputs } = lookup;
        if (HOSTS_OUTLIVE_REMOVAL.includes(inputs.driver))
            return findKeptHosts(lookup);
        if (inputs.driver === 'amazonec2')
            return (await loadEc2()).findKeptMachines(inputs, lookup.owner.repository);
        // Machines that live on this runner (VirtualBox on a self-hosted one): the record of the run that made them.
        return lookup.record?.nodes.map(({ name, role, ip, advertiseIp, dockerHost }) => ({ name, role, ip, advertiseIp, dockerHost }));
    },
    async renewKept(inputs) {
        if (inputs.driver === 'amazonec2')
            await (await loadEc2Cluster()).renewKeptEc2(inputs);
    },
    async destroyKept(request) {
        // The dir a bad name would give is refused before anything of the cluster is touched.
        const keptDir = (0,cluster/* clusterDir */._O)(request.name, true);
        if (request.driver === 'amazonec2')
            return (await loadEc2Cluster()).destroyKeptEc2(request.name, request.driver, request.awsRegion, request.owner.repository);
        if (!HOSTS_OUTLIVE_REMOVAL.includes(request.driver)) {
            throw new Error(`input \`driver\`: destroy by name removes \`local\`, \`none\`, \`generic\` and \`amazonec2\` clusters; a ${request.driver} cluster's machines are known only to the docker-machine store of the runner that made them: remove them there with \`docker-machine rm\``);
        }
        const record = await (0,state_record/* readClusterRecord */.CW)(keptDir);
        if (record)
            (0,owner/* checkOwner */.AA)(`kept cluster "${request.name}" (${keptDir})`, record.state.owner, request.owner);
        const removal = await destroyKeptHosts(request);
        // docker-machine's records of the hosts, when this runner made the cluster: nothing else is left of it here.
        await (0,promises_.rm)(keptDir, { recursive: true, force: true });
        return removal;
    },
    async prepare(context) {
        const { inputs, state } = context;
        const machineState = { binary: '', machines: [] };
        state.driverState = machineState;
        context.saveState();
        const installed = await installMachine(inputs.machine);
        machineState.binary = installed.binary;
        machineState.sha256 = installed.sha256;
        context.saveState();
        await (0,engine_tls/* makePrivateDir */.hI)(storagePath(state));
        core/* exportVariable */.dN('MACHINE_STORAGE_PATH', storagePath(state));
        core/* setOutput */.uH('storage-path', storagePath(state));
        if (inputs.driver === 'virtualbox')
            await prepareVirtualBox();
        if (inputs.driver === 'amazonec2') {
            const record = (ec2) => {
                machineState.ec2 = ec2;
                context.saveState();
            };
            ec2Setups.set(state, await (await loadEc2()).prepareEc2(inputs, state.dir, context.deadline, record));
        }
    },
    async create(nodes, context) {
        const setup = ec2Setups.get(context.state);
        try {
            return await createMachines(nodes, context, setup);
        }
        finally {
            await setup?.dispose();
        }
    },
    async remove(state) {
        const machineState = state.driverState;
        if (machineState?.ec2)
            return (await loadEc2Cluster()).removeEc2(state.name, machineState.ec2);
        if (!machineState?.machines.length)
            return [];
        if (!(0,external_node_fs_.existsSync)(machineState.binary)) {
            return machineState.machines.map((name) => `machine ${name}: docker-machine is gone from ${machineState.binary || 'the runner'}, so post could not remove it; remove it at the provider by hand`);
        }
        const machine = (0,cli/* machineCommand */.vm)(machineState.binary, storagePath(state));
        const listed = await machine(['ls', '-q', '--filter', `name=^${escapeRegExp(state.name)}-`], 60_000);
        const names = [
            ...new Set([
                ...machineState.machines,
                ...listed.stdout
                    .split('\n')
                    .map((line) => line.trim())
                    .filter(Boolean)
            ])
        ];
        if (HOSTS_OUTLIVE_REMOVAL.includes(state.driver) && state.swarm) {
            await leaveSwarm(machine, names, (0,cluster/* clusterPaths */.bo)(state.dir).clientCerts, state.swarm);
        }
        const left = await Promise.all(names.map((name) => removeMachine(machine, name, { force: true })));
        return left.filter((entry) => entry !== undefined);
    },
    faultsSupported: machineFaultsSupported,
    faultState: machineFaultState,
    injectFault: injectMachineFault,
    async engineLog(state, node, limits) {
        // A kept cluster reused from another runner has no docker-machine here to ssh with.
        if (!state.driverState?.binary)
            throw new Error('docker-machine did not run in this job: no ssh to the node');
        // The diagnose action reads this state from the cluster's record, a file: only the installer's own docker-machine runs.
        await checkInstalledMachine(state.driverState.binary, state.driverState.sha256);
        return machineEngineLog((0,cli/* machineCommand */.vm)(state.driverState.binary, storagePath(state)), node.name, limits);
    }
};
async function createMachines(nodes, context, setup) {
    const { inputs, state } = context;
    const machineState = state.driverState;
    const machine = (0,cli/* machineCommand */.vm)(machineState.binary, storagePath(state), setup?.env);
    const driverOpts = [...inputs.machine.driverOpts, ...(setup?.createFlags ?? [])];
    const creating = new Set();
    const progress = setInterval(() => core/* info */.pq(`still creating: ${[...creating].join(', ')}`), PROGRESS_EVERY_MS);
    try {
        return await inBatches(nodes, inputs.machine.concurrency, async (node) => {
            machineState.machines.push(node.name);
            context.saveState();
            creating.add(node.name);
            const created = await createMachine(machine, node, (0,cli/* createArgs */.Og)(inputs.driver, node, driverOpts, context.tls.files), inputs.machine.retries, context.deadline);
            creating.delete(node.name);
            context.nodeReady(created);
            return created;
        });
    }
    finally {
        clearInterval(progress);
    }
}
/** Runs `work` on every item, at most `concurrency` at once; stops starting new ones after a failure. */
async function inBatches(items, concurrency, work) {
    const results = new Array(items.length);
    let next = 0;
    const errors = [];
    const worker = async () => {
        while (next < items.length && errors.length === 0) {
            const index = next++;
            try {
                results[index] = await work(items[index]);
            }
            catch (error) {
                errors.push(error);
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    if (errors.length)
        throw new Error(errors.map((error) => error.message).join('\n'));
    return results;
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

/***/ 15874:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B2: () => (/* binding */ Deadline),
/* harmony export */   g3: () => (/* binding */ pollUntil),
/* harmony export */   l0: () => (/* binding */ GiveUp),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony export allSettledInOrder */
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


/***/ })

};
