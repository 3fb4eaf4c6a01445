export const id = 143;
export const ids = [143];
export const modules = {

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

/***/ 63143:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   findKeptMachines: () => (/* binding */ findKeptMachines),
/* harmony export */   preflightEc2: () => (/* binding */ preflightEc2),
/* harmony export */   prepareEc2: () => (/* binding */ prepareEc2)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46058);
/* harmony import */ var _engine_tls_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(21907);
/* harmony import */ var _ec2_ami_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(56835);
/* harmony import */ var _ec2_client_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(30099);
/* harmony import */ var _ec2_cluster_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(77741);
/* harmony import */ var _ec2_tags_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(69869);
/* harmony import */ var _cli_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(88987);










// docker-machine's amazonec2 driver creates the instances; the action owns everything around them
// (security group, key pair, tags, credentials, removal: ../ec2/), because docker-machine's own
// choices cannot form a swarm and can leak paid resources.
/** Flags the action sets itself; the user gives their values through inputs instead. */
const OWNED_FLAGS = {
    '--amazonec2-region': 'the input `aws-region`',
    '--amazonec2-security-group': 'the inputs `allowed-cidrs` and `published-ports` (the action makes the cluster its own group)',
    '--amazonec2-security-group-readonly': 'nothing: the action makes the cluster its own group',
    '--amazonec2-keypair-name': 'nothing: the action imports the cluster its own key pair',
    '--amazonec2-ssh-keypath': 'nothing: the action imports the cluster its own key pair',
    '--amazonec2-access-key': 'the environment (aws-actions/configure-aws-credentials); credentials on a command line would reach logs',
    '--amazonec2-secret-key': 'the environment (aws-actions/configure-aws-credentials); credentials on a command line would reach logs',
    '--amazonec2-session-token': 'the environment (aws-actions/configure-aws-credentials); credentials on a command line would reach logs'
};
const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
/** docker-machine's default instance type (drivers/amazonec2 defaultInstanceType). */
const DEFAULT_INSTANCE_TYPE = 't2.micro';
/** Every create flag the user gave, across driver-opts and every node's opts. */
const allOpts = (inputs) => [...inputs.machine.driverOpts, ...inputs.nodes.flatMap((node) => node.createOpts)];
function preflightEc2(inputs) {
    for (const flag of Object.keys(OWNED_FLAGS)) {
        if ((0,_cli_js__WEBPACK_IMPORTED_MODULE_8__/* .hasFlag */ .Lt)(allOpts(inputs), flag))
            throw new Error(`inputs \`driver-opts\`/\`*-opts\`/\`nodes\`: drop ${flag}; the action sets it from ${OWNED_FLAGS[flag]}`);
    }
    (0,_ec2_cluster_js__WEBPACK_IMPORTED_MODULE_6__.preflightEc2Cluster)(inputs);
}
/**
 * Makes the cluster's security group and key pair (both tagged), resolves the AMI, and writes the
 * credentials docker-machine reads into a private file. `record` saves the state once the group exists,
 * before anything else does.
 */
async function prepareEc2(inputs, dir, deadline, record) {
    const opts = allOpts(inputs);
    const cluster = await (0,_ec2_cluster_js__WEBPACK_IMPORTED_MODULE_6__.createEc2Cluster)(inputs, dir, { vpcId: (0,_cli_js__WEBPACK_IMPORTED_MODULE_8__/* .flagValue */ .y6)(opts, '--amazonec2-vpc-id'), deadline, record });
    const { region } = cluster;
    const flags = [
        ...['--amazonec2-region', region, '--amazonec2-vpc-id', cluster.vpcId],
        ...['--amazonec2-security-group', cluster.groupName, '--amazonec2-security-group-readonly'],
        ...['--amazonec2-keypair-name', cluster.keyName, '--amazonec2-ssh-keypath', cluster.keyPath],
        ...['--amazonec2-tags', [(0,_cli_js__WEBPACK_IMPORTED_MODULE_8__/* .flagValue */ .y6)(opts, '--amazonec2-tags'), (0,_ec2_tags_js__WEBPACK_IMPORTED_MODULE_7__/* .machineTagsOption */ .yf)(cluster.labels)].filter(Boolean).join(',')]
    ];
    if (!(0,_cli_js__WEBPACK_IMPORTED_MODULE_8__/* .hasFlag */ .Lt)(opts, '--amazonec2-ami')) {
        const image = await (0,_ec2_ami_js__WEBPACK_IMPORTED_MODULE_5__/* .findUbuntuImage */ .Sl)(cluster.client, region, (0,_cli_js__WEBPACK_IMPORTED_MODULE_8__/* .flagValue */ .y6)(opts, '--amazonec2-instance-type') ?? DEFAULT_INSTANCE_TYPE);
        _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq(`AMI ${image.imageId}: ${image.name}`);
        flags.push('--amazonec2-ami', image.imageId);
    }
    const endpoint = (0,_ec2_client_js__WEBPACK_IMPORTED_MODULE_9__/* .ec2Endpoint */ .uE)();
    if (endpoint && !(0,_cli_js__WEBPACK_IMPORTED_MODULE_8__/* .hasFlag */ .Lt)(opts, '--amazonec2-endpoint'))
        flags.push('--amazonec2-endpoint', endpoint);
    if (endpoint || (0,_cli_js__WEBPACK_IMPORTED_MODULE_8__/* .hasFlag */ .Lt)(opts, '--amazonec2-endpoint')) {
        // With an endpoint, docker-machine takes --amazonec2-zone as the whole availability zone, not as
        // a letter after the region (getRegionZone): its default `a` would be no zone EC2 knows.
        const zone = (0,_cli_js__WEBPACK_IMPORTED_MODULE_8__/* .flagValue */ .y6)(opts, '--amazonec2-zone') ?? 'a';
        if (/^[a-z]$/.test(zone))
            flags.push('--amazonec2-zone', `${region}${zone}`);
    }
    const awsDir = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, 'aws');
    return { createFlags: flags, env: await credentialsFileEnv(awsDir), dispose: () => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(awsDir, { recursive: true, force: true }) };
}
/** A kept amazonec2 cluster's nodes, from its instances' tags (docker-machine names an instance after its machine). */
const findKeptMachines = (inputs, repository) => (0,_ec2_cluster_js__WEBPACK_IMPORTED_MODULE_6__.findKeptEc2)(inputs, repository, (0,_cli_js__WEBPACK_IMPORTED_MODULE_8__/* .hasFlag */ .Lt)(allOpts(inputs), '--amazonec2-private-address-only'));
/**
 * docker-machine writes the credentials it finds in flags or variables into each machine's
 * config.json, in plain text, and prefers them later. Given through the shared credentials file
 * instead (its SDK's next provider), they stay out of the store; the file goes with the cluster.
 */
async function credentialsFileEnv(awsDir) {
    await (0,_engine_tls_js__WEBPACK_IMPORTED_MODULE_4__/* .makePrivateDir */ .hI)(awsDir);
    const file = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(awsDir, 'credentials');
    const [keyId, secret, token] = CREDENTIAL_VARIABLES.map((name) => process.env[name]?.trim());
    const lines = [
        '[default]',
        `aws_access_key_id = ${keyId}`,
        `aws_secret_access_key = ${secret}`,
        ...(token ? [`aws_session_token = ${token}`] : []),
        ''
    ];
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(file, lines.join('\n'), { mode: 0o600 });
    // A cancel ends main with process.exit, before create's own cleanup: the file must not wait for post.
    process.once('exit', () => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(awsDir, { recursive: true, force: true }));
    const env = { ...process.env, AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'default' };
    // AWS_ACCESS_KEY and AWS_SECRET_KEY are the older names its environment provider also reads.
    for (const name of [...CREDENTIAL_VARIABLES, 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_DEFAULT_PROFILE'])
        delete env[name];
    return env;
}


/***/ })

};
