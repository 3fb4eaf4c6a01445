export const id = 199;
export const ids = [199];
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

/***/ 51112:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C8: () => (/* binding */ containerdExportArgv),
/* harmony export */   Ew: () => (/* binding */ containerdSources)
/* harmony export */ });
/* unused harmony export containerdName */
/* harmony import */ var _tools_command_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58974);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(46787);


const LIST_TIMEOUT_MS = 10_000;
/**
 * Each image's containerd source, or why containerd cannot export them (then `docker save`
 * serves): `id` is the engine's image ID, in the containerd store the digest of the image's
 * manifest or index.
 */
async function containerdSources(images, containerd) {
    const names = images.map((image) => containerdName(image.reference));
    const unnamed = images.filter((_, i) => !names[i]).map((image) => image.reference);
    if (unnamed.length)
        return `${unnamed.join(', ')} not given as name:tag`;
    const ctr = (0,_tools_command_js__WEBPACK_IMPORTED_MODULE_0__/* .findExecutable */ .oq)('ctr');
    if (!ctr)
        return "containerd's `ctr` is not on PATH";
    const [file, args] = (0,_tools_command_js__WEBPACK_IMPORTED_MODULE_0__/* .privilegedArgv */ .K1)(ctr, ['--address', containerd.address, '--namespace', containerd.namespace, 'images', 'list']);
    const listed = await (0,_tools_command_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .eF)(file, args, { allowFailure: true, timeoutMs: LIST_TIMEOUT_MS }).catch((error) => ({
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
    return (0,_tools_command_js__WEBPACK_IMPORTED_MODULE_0__/* .privilegedArgv */ .K1)(ctr, [
        ...['--address', address, '--namespace', namespace],
        ...['images', 'export', '--platform', platform, '-', ...sources.map((source) => source.name)]
    ]);
}
/** The name containerd keeps the image under; undefined for an image ID (short ones too) or a reference by digest. */
function containerdName(reference) {
    const full = (0,_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .fullReference */ .P)(reference);
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


/***/ }),

/***/ 66315:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CH: () => (/* binding */ runnerSave),
/* harmony export */   Dd: () => (/* binding */ nodeDocker),
/* harmony export */   Qw: () => (/* binding */ runnerExporter),
/* harmony export */   tL: () => (/* binding */ runnerDocker),
/* harmony export */   w4: () => (/* binding */ requireDockerCli)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _tools_command_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(58974);
/* harmony import */ var _containerd_export_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51112);



// The docker CLI, pointed either at the runner's own engine or at one node of the swarm.
/**
 * The step's environment as it was when the action started. Main exports DOCKER_HOST (and the TLS
 * variables) for later steps into its own process.env too; the runner's engine, where the job built
 * its images, is whatever the docker CLI reached before that (/var/run/docker.sock on GitHub).
 */
const STEP_ENV = { ...process.env };
/** Variables that pick an engine: a node's CLI gets its engine from flags, never from these. */
const ENGINE_VARIABLES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS'];
/** The docker CLI's path on the runner; fails, saying how to install it, where there is none. */
function requireDockerCli() {
    const docker = (0,_tools_command_js__WEBPACK_IMPORTED_MODULE_1__/* .findExecutable */ .oq)('docker');
    if (!docker)
        throw new Error('the docker CLI is not installed on the runner; install it (e.g. `sudo apt-get install -y docker.io` or docker-ce-cli)');
    return docker;
}
/** The docker CLI as the step's environment sets it up: the runner's own engine. */
function runnerDocker() {
    const docker = requireDockerCli();
    return (args, options = {}) => (0,_tools_command_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .eF)(docker, args, { env: STEP_ENV, timeoutMs: options.timeoutMs, allowFailure: options.allowFailure });
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
        ? (0,_containerd_export_js__WEBPACK_IMPORTED_MODULE_2__/* .containerdExportArgv */ .C8)(images.map((image) => image.containerd), platform)
        : [requireDockerCli(), ['save', ...(platform ? ['--platform', platform] : []), ...images.map((image) => image.reference)]];
    return (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(file, args, { env: STEP_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
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
    return (args, options = {}) => (0,_tools_command_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .eF)(docker, [...flags, ...args], { env, timeoutMs: options.timeoutMs, allowFailure: options.allowFailure });
}


/***/ }),

/***/ 46787:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ fullReference)
/* harmony export */ });
// Image references as Docker normalises them, so that two spellings of one image compare equal and
// containerd (which keeps full names) can be asked for it.
/**
 * The reference's full form: `app` is `docker.io/library/app:latest`, `ghcr.io/o/app:1` stays, a
 * reference by digest gets no tag, an image ID (`sha256:…`) stays as it is.
 */
function fullReference(reference) {
    if (reference.startsWith('sha256:'))
        return reference;
    const slash = reference.indexOf('/');
    const first = slash < 0 ? '' : reference.slice(0, slash);
    const hasDomain = first.includes('.') || first.includes(':') || first === 'localhost';
    const [given, path] = hasDomain ? [first, reference.slice(slash + 1)] : ['docker.io', reference];
    const domain = given === 'index.docker.io' ? 'docker.io' : given;
    const name = `${domain}/${domain === 'docker.io' && !path.includes('/') ? 'library/' : ''}${path}`;
    return /[:@]/.test(name.slice(name.lastIndexOf('/') + 1)) ? name : `${name}:latest`;
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

/***/ 10388:
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
/* harmony import */ var _inputs_names_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(85585);
/* harmony import */ var _cluster_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(18611);
/* harmony import */ var _owner_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9622);





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

/***/ 77915:
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
// EXTERNAL MODULE: ./src/engine/api.ts
var api = __webpack_require__(76750);
// EXTERNAL MODULE: ./src/engine/docker-cli.ts
var docker_cli = __webpack_require__(66315);
// EXTERNAL MODULE: ./src/engine/containerd-export.ts
var containerd_export = __webpack_require__(51112);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/engine/image-identity.ts

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

// EXTERNAL MODULE: ./src/engine/tls.ts
var engine_tls = __webpack_require__(21907);
;// CONCATENATED MODULE: ./src/workload/images.ts







/** A stalled load (no byte either way for this long) is an error; a slow one is not. */
const LOAD_IDLE_MS = 60_000;
const INSPECT_TIMEOUT_MS = 30_000;
const CONTAINERD_STORE = 'io.containerd.snapshotter.v1';
/** Every image on the runner's engine; fails naming each missing one, before anything is created. */
async function findRunnerImages(references) {
    const docker = (0,docker_cli/* runnerDocker */.tL)();
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
        ? await (0,containerd_export/* containerdSources */.Ew)(images, { address: engine.Containerd.Address, namespace: engine.Containerd.Namespaces?.Containers ?? 'moby' })
        : 'the engine does not say where its containerd listens';
    if (typeof containerd === 'string')
        core/* info */.pq(`exporting the images with \`docker save\`, not containerd's own export: ${containerd}`);
    return images.map((image, i) => ({ ...image, savePlatform, containerd: typeof containerd === 'string' ? undefined : containerd[i] }));
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
    const tls = await (0,engine_tls/* readClientTls */.Z$)(client);
    const engines = nodes.map((node) => new api/* Engine */.N$(node.dockerHost, tls));
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
            core/* info */.pq(`the runner's engine keeps images in the containerd store: exported with ${(0,docker_cli/* runnerExporter */.Qw)(needed)} for ${platform} only, the platform of its nodes`);
        save = early && needed.length === images.length ? early : (0,docker_cli/* runnerSave */.CH)(needed);
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
            core/* warning */.$e(`${error.message}; loading into those node(s) again, once, with docker save`);
            save.kill('SIGKILL');
            const bySave = needed.map((image) => ({ ...image, containerd: undefined }));
            save = (0,docker_cli/* runnerSave */.CH)(bySave);
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
            throw new Error(`${(0,docker_cli/* runnerExporter */.Qw)(images)} ${images.map((image) => image.reference).join(' ')} on the runner failed (exit ${code}): ${stderr.trim()}`);
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


/***/ })

};
