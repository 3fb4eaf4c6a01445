export const id = 652;
export const ids = [652];
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
function runnerSave(references) {
    return (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)((0,_swarm_js__WEBPACK_IMPORTED_MODULE_2__/* .requireDockerCli */ .w4)(), ['save', ...references], { env: STEP_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
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

/***/ 35652:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  localDriver: () => (/* binding */ localDriver)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/command.ts
var src_command = __webpack_require__(51274);
// EXTERNAL MODULE: ./src/images.ts
var src_images = __webpack_require__(4525);
;// CONCATENATED MODULE: ./src/leftovers.ts

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
            core/* debug */.Yz(`removing ${what} took ${Date.now() - started} ms`);
        }
    }
}

// EXTERNAL MODULE: ./src/tls.ts
var src_tls = __webpack_require__(70098);
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
    const found = (0,src_command/* findExecutable */.oq)(name);
    if (!found)
        throw new Error(`${name} is not installed (package ${TOOLS[name]})`);
    return found;
}
/** The tools the runner lacks, each with its package. */
function missingTools() {
    return Object.keys(TOOLS).filter((name) => !(0,src_command/* findExecutable */.oq)(name)).map((name) => `${name} (${TOOLS[name]})`);
}
/** Runs a command as root (sudo -n unless we are root), bounded. */
const privileged = (name, args, input, allowFailure = false) => (0,src_command/* run */.eF)((0,src_command/* findExecutable */.oq)(name) ?? name, args, { privileged: true, input, timeoutMs: 30_000, allowFailure });

;// CONCATENATED MODULE: ./src/drivers/local/cgroups.ts




// Each engine puts its containers under the cluster's cgroup parent (dockerd --cgroup-parent), which
// the engine creates; what it leaves once its processes are gone is removed here.
async function removeCgroups(parent) {
    const mounts = (await (0,promises_.readFile)('/proc/mounts', 'utf8'))
        .split('\n')
        .map((line) => line.split(' '))
        .filter((fields) => fields[2] === 'cgroup' || fields[2] === 'cgroup2');
    for (const [, mountPoint] of mounts) {
        const top = external_node_path_default().join(mountPoint, parent);
        if ((0,external_node_fs_.existsSync)(top))
            await removeCgroupTree(top);
    }
}
async function removeCgroupTree(dir) {
    const entries = await (0,promises_.readdir)(dir, { withFileTypes: true });
    for (const entry of entries.filter((e) => e.isDirectory()))
        await removeCgroupTree(external_node_path_default().join(dir, entry.name));
    await privileged('rmdir', [dir]);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/drivers/local/names.ts

/** Every bridge, veth and namespace of a local cluster starts with this. */
const PREFIX = 'swm';
function localNames(clusterName, nodeCount) {
    // Interface names have at most 15 characters: a hash of the name, not the name.
    const bridge = PREFIX + (0,external_node_crypto_.createHash)('sha256').update(clusterName).digest('hex').slice(0, 8);
    return {
        bridge,
        tag: `setup-swarm:${bridge}`,
        netns: Array.from({ length: nodeCount }, (_, i) => `${bridge}-${i + 1}`),
        cgroupParent: `/setup-swarm-${bridge}`
    };
}
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
    if (changes.includes('ip-forward'))
        await privileged('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=0']);
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
async function otherClustersRunning() {
    // A cluster is its bridge; its nodes' veths carry the same prefix but are no bridges.
    return (await (0,promises_.readdir)('/sys/class/net')).some((name) => name.startsWith(PREFIX) && (0,external_node_fs_.existsSync)(`/sys/class/net/${name}/bridge`));
}
function isMountPoint(dir) {
    return (0,external_node_fs_.readFileSync)('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .some((line) => line.split(' ')[4] === dir);
}

// EXTERNAL MODULE: ./src/wait.ts
var src_wait = __webpack_require__(40910);
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
    core/* info */.pq(`network ${subnet} on bridge ${local.bridge}`);
    const routing = Promise.all([addFirewallRules(local, subnet), enableIpForward()]).then(() => undefined);
    routing.catch(() => undefined); // awaited before any node joins the swarm
    const claimed = subnet;
    return { gateway: hostAddress(claimed, 1), nodeIp: (index) => hostAddress(claimed, index + 2), routing };
}
/** Docker on the runner sets the FORWARD policy to DROP: let the cluster's traffic through, and NAT it out. */
async function addFirewallRules(local, subnet) {
    await privileged('iptables-restore', ['-w', '10', '--noflush'], [
        '*filter',
        `-I FORWARD -i ${local.bridge} -m comment --comment ${local.tag} -j ACCEPT`,
        `-I FORWARD -o ${local.bridge} -m comment --comment ${local.tag} -j ACCEPT`,
        'COMMIT',
        '*nat',
        `-A POSTROUTING -s ${subnet} ! -o ${local.bridge} -m comment --comment ${local.tag} -j MASQUERADE`,
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
    const { stdout } = await (0,src_command/* run */.eF)(tool('ip'), ['-j', 'link', 'show', 'group', group]);
    const inGroup = JSON.parse(stdout || '[]').map((link) => link.ifname);
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
                await (0,src_wait/* sleep */.yy)(20);
            if (remaining().length)
                throw new Error(`${remaining().join(', ')} remain: ${result.stderr.trim()}`);
        })
        : undefined;
    await Promise.all([removing, left.attempt(`firewall rules tagged ${local.tag}`, () => removeFirewallRules(local.tag))]);
}
const linkExists = (name) => (0,external_node_fs_.existsSync)(`/sys/class/net/${name}`);
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
    const { stdout } = await (0,src_command/* run */.eF)(tool('ip'), ['-j', '-4', 'route', 'show', 'table', 'all']);
    const routes = JSON.parse(stdout || '[]');
    return routes
        .filter((route) => route.dst !== 'default' && route.dev !== exceptDevice)
        .map((route) => (route.dst.includes('/') ? route.dst : `${route.dst}/32`));
}

// EXTERNAL MODULE: ./src/engine.ts
var src_engine = __webpack_require__(90825);
;// CONCATENATED MODULE: ./src/drivers/local/image-store.ts






// Every local node keeps its data on this runner's disk. So the images are loaded over the API into
// the first node only, and every other node starts with a copy of that engine's image store whose
// layer files are hard links: no other node unpacks a byte, and 7 nodes take as long as 1. Layer
// files are never written once committed (a container writes to a layer of its own), so sharing
// their inodes between engines is safe; the metadata is copied, as engines rewrite it.
/** Loads the images into `first`; returns the data root whose image store the other nodes copy. */
async function loadIntoFirstNode(first, dataRoot, images, client, deadline, early) {
    await (0,src_images/* loadImages */.z6)([first], images, client, deadline, early);
    const engine = new src_engine/* Engine */.N$(first.dockerHost, await (0,src_tls/* readClientTls */.Z$)(client));
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
        core/* warning */.$e(`could not share the first node's images with ${external_node_path_default().basename(external_node_path_default().dirname(toDataRoot))} (${error.message}); it loads them itself`);
        return false;
    }
}

// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
;// CONCATENATED MODULE: ./src/drivers/local/kept.ts





// A local cluster kept with `cleanup: false` lives on as long as its runner: found again by its
// bridge (named after the cluster), its nodes read from the record main left in its kept dir.
const bridgeExists = (bridge) => (0,external_node_fs_.existsSync)(`/sys/class/net/${bridge}`);
function findKeptLocal({ inputs, dir, record }) {
    const { bridge } = localNames(inputs.name, 0);
    if (!bridgeExists(bridge))
        return Promise.resolve(undefined);
    if (!record?.nodes.length) {
        throw new Error(`a cluster named "${inputs.name}" runs on this runner (bridge ${bridge}) but ${dir} holds no record of it: it was not kept by setup-swarm, or its files were removed; destroy it by name (setup-swarm/destroy, driver local) and run again`);
    }
    return Promise.resolve(record.nodes.map(({ name, role, ip, advertiseIp, dockerHost }) => ({ name, role, ip, advertiseIp, dockerHost })));
}
/** What a kept local cluster has on this runner, derived from its name alone: its record may be gone. */
function discoverLocal(name) {
    const names = localNames(name, 0);
    const netns = (0,external_node_fs_.existsSync)(NETNS_DIR) ? (0,external_node_fs_.readdirSync)(NETNS_DIR).filter((entry) => entry.startsWith(`${names.bridge}-`)) : [];
    return { ...names, netns: netns.sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop())) };
}
/** Removes a kept local cluster by name: its engines, network, firewall rules, cgroups and files. */
async function destroyKeptLocal(name, remove) {
    const dir = (0,state/* clusterDir */._O)(name, true);
    const local = discoverLocal(name);
    if (!bridgeExists(local.bridge) && !local.netns.length && !(0,external_node_fs_.existsSync)(dir))
        return { removed: [], leftovers: [] };
    const leftovers = await remove({ name, driver: 'local', cleanup: true, dir, driverState: local });
    await (0,promises_.rm)(dir, { recursive: true, force: true }).catch((error) => leftovers.push(`${dir}: ${error.message}`));
    return { removed: [`local cluster ${name}: ${local.netns.length} node(s), bridge ${local.bridge}, ${dir}`], leftovers };
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
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
        ...['-H', `tcp://${node.ip}:${src_engine/* ENGINE_PORT */.Xg}`, '--tlsverify', '--tlscacert', files.ca, '--tlscert', files.cert, '--tlskey', files.key],
        ...['--containerd-namespace', node.name, '--containerd-plugins-namespace', `${node.name}-plugins`],
        ...['--exec-opt', 'native.cgroupdriver=cgroupfs', '--cgroup-parent', node.cgroupParent]
    ];
}
// Runs as the node's first process: its own hostname, a private /run (no host containerd
// socket, room for the engine's runtime files), and a resolv.conf that works from the node.
const NODE_INIT = [
    'set -e',
    'hostname "$1"',
    'mount -t tmpfs -o mode=755 tmpfs /run',
    'mkdir -p "$(dirname "$3")"',
    'touch "$3"',
    'mount --bind "$2" "$3"',
    'shift 3',
    'exec "$@"'
].join('\n');
/** The node's directory, certificates and config, which its engine needs to start. */
async function writeNodeFiles(start) {
    const { node, ip, dir, tls } = start;
    if (!tls.authority)
        throw new Error('the local driver signs node certificates and needs the CA key');
    await (0,src_tls/* makePrivateDir */.hI)(dir);
    const files = nodeFiles(dir);
    const serverPair = await (0,src_tls/* issueCertificate */.D8)(tls.authority, node.name, 'server', { ips: [ip, '127.0.0.1'], dnsNames: [node.name, 'localhost'] });
    await (0,src_tls/* writeSecretFiles */.Bd)([
        [files.ca, tls.authority.cert],
        [files.cert, serverPair.cert],
        [files.key, serverPair.key],
        // Our own (empty) config: never the host's /etc/docker/daemon.json.
        [files.config, '{}\n']
    ]);
}
/** Starts the node's engine in its (already attached) namespace, with its files written, and waits until it answers. */
async function startNode(start) {
    const { node, ip, dir, tls } = start;
    const files = nodeFiles(dir);
    const [command, args] = (0,src_command/* privilegedArgv */.K1)(tool('nsenter'), [
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
    const engine = new src_engine/* Engine */.N$(`tcp://${ip}:${src_engine/* ENGINE_PORT */.Xg}`, await (0,src_tls/* readClientTls */.Z$)(tls.client));
    try {
        await (0,src_wait/* pollUntil */.g3)(start.deadline, `the engine of ${node.name}`, async () => {
            if (exited)
                throw new src_wait/* GiveUp */.l0(`the engine of ${node.name} ${exited}; its log ends with:\n${await logTail(files.log)}`);
            return engine.ping(1000);
        }, { intervalMs: 50 }).catch(async (error) => {
            if (error instanceof src_wait/* GiveUp */.l0)
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
        await (0,src_wait/* sleep */.yy)(20);
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
/** The local driver's files under the cluster's dir; engines running as root write into `nodes`. */
function localPaths(dir) {
    return { nodes: external_node_path_default().join(dir, 'nodes'), resolvConf: external_node_path_default().join(dir, 'resolv.conf') };
}
const localDriver = {
    async preflight(inputs) {
        if (process.platform !== 'linux') {
            throw new Error(`the \`local\` driver needs a Linux runner, this one is ${process.platform}; use \`runs-on: ubuntu-latest\`, or a docker-machine driver such as \`virtualbox\``);
        }
        const missing = missingTools();
        if (missing.length) {
            throw new Error(`the \`local\` driver needs ${missing.join(', ')} on the runner; install them, e.g. \`sudo apt-get install -y docker.io iproute2 iptables util-linux\``);
        }
        if (!(0,src_command/* isRoot */.jX)() && (await (0,src_command/* run */.eF)('sudo', ['-n', 'true'], { allowFailure: true, timeoutMs: 10_000 }).catch(() => ({ code: 1 }))).code !== 0) {
            throw new Error('the `local` driver needs root or passwordless sudo to create network namespaces and engines; GitHub-hosted Linux runners have it, a self-hosted runner needs `NOPASSWD` sudo for its user');
        }
        const { bridge } = localNames(inputs.name, 0);
        // A kept cluster (`cleanup: false`) of this name is found again and reused: main looks for it.
        if (inputs.cleanup && (0,external_node_fs_.existsSync)(`/sys/class/net/${bridge}`)) {
            throw new Error(`a cluster named "${inputs.name}" already runs on this runner (bridge ${bridge}); give each setup-swarm step its own \`name\`, or reuse a kept cluster with \`cleanup: false\``);
        }
    },
    async create(nodes, context) {
        const local = localNames(context.state.name, nodes.length);
        context.state.driverState = local;
        context.saveState();
        await noteNetnsMount();
        const network = await createNetwork(local, context.saveState);
        const paths = localPaths(context.state.dir);
        await (0,promises_.writeFile)(paths.resolvConf, await nodeResolvConf());
        const nodeDir = (index) => external_node_path_default().join(paths.nodes, nodes[index].name);
        const startAt = async (index, onSpawned) => {
            const ip = network.nodeIp(index);
            const start = {
                node: nodes[index],
                ip,
                netns: local.netns[index],
                cgroupParent: local.cgroupParent,
                resolvConf: paths.resolvConf,
                dir: nodeDir(index),
                tls: context.tls,
                deadline: context.deadline,
                onSpawned
            };
            await Promise.all([attachNode(local, index, ip, network.gateway), writeNodeFiles(start)]);
            const started = await startNode(start);
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
            const save = (0,src_images/* startSave */.k2)(images);
            let first;
            try {
                first = settled(await Promise.allSettled([startAt(0)]));
            }
            catch (error) {
                save.kill('SIGKILL');
                throw error;
            }
            const store = await loadIntoFirstNode(first[0], nodeFiles(nodeDir(0)).dataRoot, images, context.tls.client, context.deadline, save);
            const copying = Date.now();
            const rest = nodes.slice(1).map((_, i) => i + 1);
            await Promise.all(rest.map(async (index) => (await (0,src_tls/* makePrivateDir */.hI)(nodeDir(index)), copyImageStore(store, nodeFiles(nodeDir(index)).dataRoot))));
            if (rest.length)
                core/* info */.pq(`the image store of ${nodes[0].name} shared with ${rest.length} node(s) (hard links) in ${((Date.now() - copying) / 1000).toFixed(2)} s`);
            return [...first, ...settled(await Promise.allSettled(rest.map((index) => startAt(index))))];
        };
        // Every start (each is bounded) and the firewall rules settle before a failure is reported:
        // nothing of main is still creating things when post starts removing them.
        const started = await startAll().finally(() => network.routing.catch(() => undefined));
        await network.routing;
        return started;
    },
    async remove(state) {
        const left = new Leftovers();
        const local = state.driverState;
        const existing = local ? local.netns.filter((netns) => (0,external_node_fs_.existsSync)(external_node_path_default().join(NETNS_DIR, netns))) : [];
        // The links go first: deleting one waits until the node's processes let go of it, which they do
        // as they die. The kernel unlists them at once.
        const unlinking = local && left.attempt("the nodes' links", () => removeNodeLinks(local));
        let killed = [];
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
        // Last: it restores the host only when no other cluster's bridge is left, this one's included.
        if (local)
            await left.attempt('the host settings changed for the clusters', undoHostChanges);
        return left.items;
    },
    findKept: findKeptLocal,
    destroyKept(request) {
        return destroyKeptLocal(request.name, (state) => localDriver.remove(state));
    },
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


/***/ }),

/***/ 4525:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   k2: () => (/* binding */ startSave),
/* harmony export */   uf: () => (/* binding */ findRunnerImages),
/* harmony export */   z6: () => (/* binding */ loadImages)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _docker_cli_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(12876);
/* harmony import */ var _engine_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(90825);
/* harmony import */ var _tls_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(70098);





/** A stalled load (no byte either way for this long) is an error; a slow one is not. */
const LOAD_IDLE_MS = 60_000;
const INSPECT_TIMEOUT_MS = 30_000;
/** Every image's ID on the runner's engine; fails naming each missing one, before anything is created. */
async function findRunnerImages(references) {
    const docker = (0,_docker_cli_js__WEBPACK_IMPORTED_MODULE_2__/* .runnerDocker */ .tL)();
    const found = await Promise.all(references.map(async (reference) => {
        const result = await docker(['image', 'inspect', '--format', '{{.Id}}', reference], { allowFailure: true, timeoutMs: INSPECT_TIMEOUT_MS });
        return { reference, id: result.code === 0 ? result.stdout.trim() : '', error: result.stderr.trim() };
    }));
    const unreachable = found.find((image) => !image.id && /cannot connect to the docker daemon|error during connect|permission denied while trying to connect/i.test(image.error));
    if (unreachable) {
        throw new Error(`input \`images\`: the runner's Docker engine does not answer (${unreachable.error.split('\n').pop()}); the images are read from the engine the docker CLI reaches in this step (DOCKER_HOST or /var/run/docker.sock)`);
    }
    const missing = found.filter((image) => !image.id);
    if (missing.length) {
        throw new Error(`input \`images\`: ${missing.map((image) => `"${image.reference}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on the runner's Docker engine; build or pull ${missing.length === 1 ? 'it' : 'them'} in an earlier step of the job`);
    }
    return found.map(({ reference, id }) => ({ reference, id }));
}
/**
 * Starts `docker save` of every image now: the runner's engine stages the whole export before it
 * writes a byte, which can overlap the start of the engines that will read it (the pipe holds the
 * rest back). `loadImages` takes it over, or ends it when no node needs all of them.
 */
function startSave(images) {
    const save = (0,_docker_cli_js__WEBPACK_IMPORTED_MODULE_2__/* .runnerSave */ .CH)(images.map((image) => image.reference));
    save.on('error', () => undefined); // reported where the stream is read
    return save;
}
/**
 * Loads the images into every node that does not hold the same image ID yet, all nodes at once.
 * `early`: a save of every image, started beforehand (see startSave).
 */
async function loadImages(nodes, images, client, deadline, early) {
    const started = Date.now();
    const tls = await (0,_tls_js__WEBPACK_IMPORTED_MODULE_4__/* .readClientTls */ .Z$)(client);
    const engines = nodes.map((node) => new _engine_js__WEBPACK_IMPORTED_MODULE_3__/* .Engine */ .N$(node.dockerHost, tls));
    let save;
    try {
        const lacking = await Promise.all(engines.map((engine) => imagesLacking(engine, images)));
        const targets = nodes.map((node, i) => ({ node, engine: engines[i], lacking: lacking[i] })).filter((target) => target.lacking.length);
        const skipped = nodes.filter((_, i) => lacking[i].length === 0).map((node) => node.name);
        if (skipped.length)
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`already holding every image (same image ID), skipped: ${skipped.join(', ')}`);
        // One save of every image some node lacks: a node lacking only some of them loads the rest again,
        // which costs it little, while the runner's engine is read once.
        const needed = images.filter((image) => targets.some((target) => target.lacking.includes(image)));
        if (targets.length === 0)
            return { loaded: [], skipped, bytes: 0, seconds: (Date.now() - started) / 1000 };
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`loading ${needed.map((image) => image.reference).join(', ')} into ${targets.map((target) => target.node.name).join(', ')}`);
        save = early && needed.length === images.length ? early : (0,_docker_cli_js__WEBPACK_IMPORTED_MODULE_2__/* .runnerSave */ .CH)(needed.map((image) => image.reference));
        const bytes = await streamToAll(save, needed.map((image) => image.reference), targets.map((target) => target.engine), deadline);
        // A tag that moved on the runner meanwhile, or a load that kept an older image: the IDs tell.
        const wrong = (await Promise.all(targets.map(async (target) => ((await imagesLacking(target.engine, images)).length ? target.node.name : ''))))
            .filter(Boolean)
            .join(', ');
        if (wrong)
            throw new Error(`after loading, ${wrong} still lack an image with the runner's image ID; did an image change on the runner meanwhile?`);
        const seconds = (Date.now() - started) / 1000;
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`loaded ${needed.length} image(s), ${(bytes / 1e6).toFixed(1)} MB read once from the runner's engine, into ${targets.length} node(s) in ${seconds.toFixed(2)} s`);
        return { loaded: targets.map((target) => target.node.name), skipped, bytes, seconds };
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
async function imagesLacking(engine, images) {
    const ids = await Promise.all(images.map((image) => engine.imageId(image.reference)));
    return images.filter((image, i) => ids[i] !== image.id);
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
            const copy = new node_stream__WEBPACK_IMPORTED_MODULE_1__.PassThrough({ highWaterMark: 1 << 20 });
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


/***/ })

};
