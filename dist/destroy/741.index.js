export const id = 741;
export const ids = [741];
export const modules = {

/***/ 30099:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Zv: () => (/* binding */ resolveRegion),
/* harmony export */   uE: () => (/* binding */ ec2Endpoint),
/* harmony export */   vG: () => (/* binding */ checkCredentials),
/* harmony export */   y1: () => (/* binding */ createEc2Client)
/* harmony export */ });
/* unused harmony exports MAX_ATTEMPTS, CONNECTION_TIMEOUT_MS, REQUEST_TIMEOUT_MS */
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(35193);

/** The SDK's own retries (throttling, 5xx, network): bounded, so one call never waits for long. */
const MAX_ATTEMPTS = 5;
const CONNECTION_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 30_000;
// Shapes of AWS partitions' region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1.
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+$/;
/** Where EC2 calls go when the environment says so (LocalStack, a proxy); otherwise the SDK's endpoint. */
function ec2Endpoint(env = process.env) {
    for (const variable of ['AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL']) {
        const value = env[variable]?.trim();
        if (!value)
            continue;
        if (!URL.canParse(value))
            throw new Error(`${variable}: "${value}" is not a URL`);
        return value;
    }
    return undefined;
}
/**
 * An EC2 client for `region`. Credentials come from the SDK's standard chain; the endpoint
 * is set explicitly because SDK versions differ in which endpoint variables they read.
 */
function createEc2Client(region, env = process.env) {
    const endpoint = ec2Endpoint(env);
    return new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_0__/* .EC2Client */ .gu5({
        region,
        ...(endpoint ? { endpoint } : {}),
        maxAttempts: MAX_ATTEMPTS,
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }
    });
}
/** The region: the `aws-region` input, else AWS_REGION, else AWS_DEFAULT_REGION. */
function resolveRegion(input, env = process.env) {
    const candidates = [
        ['input `aws-region`', input],
        ['AWS_REGION', env.AWS_REGION],
        ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION]
    ];
    for (const [source, value] of candidates) {
        const region = value?.trim();
        if (!region)
            continue;
        if (!REGION.test(region))
            throw new Error(`${source}: "${region}" is not an AWS region name such as eu-west-1`);
        return region;
    }
    throw new Error('no AWS region: set the input `aws-region` (or AWS_REGION, which aws-actions/configure-aws-credentials exports from its own `aws-region`)');
}
/**
 * Fails unless the environment holds an access key pair, which both this action's SDK and
 * docker-machine's older one read. Names variables only, never their values.
 */
function checkCredentials(env = process.env, driver = 'amazonec2') {
    const keyId = Boolean(env.AWS_ACCESS_KEY_ID?.trim());
    const secret = Boolean(env.AWS_SECRET_ACCESS_KEY?.trim());
    if (keyId && secret)
        return;
    const howTo = 'add a step before this one: aws-actions/configure-aws-credentials with `role-to-assume` (OpenID Connect; the job needs ' +
        '`permissions: id-token: write`) and `aws-region`; it exports AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN';
    if (keyId !== secret) {
        const missing = keyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID';
        throw new Error(`driver \`${driver}\`: ${missing} is not set while its partner is; ${howTo}`);
    }
    throw new Error(`driver \`${driver}\` needs AWS credentials in the environment and there are none; ${howTo}`);
}


/***/ }),

/***/ 77741:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createEc2Cluster: () => (/* binding */ createEc2Cluster),
  destroyKeptEc2: () => (/* binding */ destroyKeptEc2),
  findKeptEc2: () => (/* reexport */ findKeptEc2),
  preflightEc2Cluster: () => (/* binding */ preflightEc2Cluster),
  removeEc2: () => (/* binding */ removeEc2),
  renewKeptEc2: () => (/* reexport */ renewKeptEc2)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(46058);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/engine/tls.ts
var tls = __webpack_require__(21907);
// EXTERNAL MODULE: ./src/tools/wait.ts
var wait = __webpack_require__(15874);
// EXTERNAL MODULE: ./src/drivers/ec2/client.ts
var ec2_client = __webpack_require__(30099);
// EXTERNAL MODULE: ./src/drivers/ec2/errors.ts
var errors = __webpack_require__(73947);
// EXTERNAL MODULE: ./src/drivers/ec2/instances.ts
var ec2_instances = __webpack_require__(49534);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var dist_cjs = __webpack_require__(35193);
// EXTERNAL MODULE: ./src/drivers/ec2/tags.ts
var tags = __webpack_require__(69869);
;// CONCATENATED MODULE: ./src/drivers/ec2/key-pairs.ts





/**
 * Imports a node's public key as a key pair tagged with the cluster. docker-machine imports
 * its own untagged; one imported here (passed with --amazonec2-keypair-name and
 * --amazonec2-ssh-keypath) lets destroy find even an untagged instance with no local state.
 */
async function importKeyPair(client, name, publicKey, labels) {
    const imported = await client.send(new dist_cjs/* ImportKeyPairCommand */.OmI({
        KeyName: name,
        PublicKeyMaterial: new TextEncoder().encode(publicKey),
        TagSpecifications: (0,tags/* tagSpecifications */.v7)(labels, name, 'key-pair')
    }));
    core/* info */.pq(`imported key pair ${name}`);
    return imported.KeyPairId ?? name;
}
/** Key pairs tagged with the cluster. */
async function findClusterKeyPairs(client, cluster, repository, run) {
    const { KeyPairs: keyPairs = [] } = await client.send(new dist_cjs/* DescribeKeyPairsCommand */.DRu({ Filters: (0,tags/* clusterFilters */.w5)(cluster, repository, run) }));
    return keyPairs.filter((pair) => pair.KeyName).map((pair) => ({ name: pair.KeyName, id: pair.KeyPairId, created: pair.CreateTime }));
}
/** Deletes key pairs by name; one already missing counts as removed. Returns the names removed and a leftover line per failure. */
async function deleteKeyPairs(client, names, region) {
    const removed = [];
    const leftovers = [];
    for (const name of new Set(names)) {
        try {
            await client.send(new dist_cjs/* DeleteKeyPairCommand */.EWB({ KeyName: name }));
        }
        catch (error) {
            if (!(0,errors/* hasCode */.up)(error, 'InvalidKeyPair.NotFound')) {
                (0,errors/* throwIfCredentials */.GL)(error, `deleting key pair ${name} in ${region}`);
                leftovers.push(`key pair ${name} in ${region}: ${(0,errors/* describeError */.Uc)(error)}; delete it by hand: aws ec2 delete-key-pair --region ${region} --key-name ${name}`);
                continue;
            }
        }
        core/* info */.pq(`deleted key pair ${name}`);
        removed.push(name);
    }
    return { removed, leftovers };
}
/**
 * A new RSA key for SSH: the private key as PKCS#1 PEM (what docker-machine's SSH client reads)
 * and the public key in OpenSSH's `ssh-rsa` format (what ImportKeyPair takes).
 */
function generateSshKey() {
    const { privateKey, publicKey } = (0,external_node_crypto_.generateKeyPairSync)('rsa', { modulusLength: 3072 });
    const jwk = publicKey.export({ format: 'jwk' });
    // RFC 4253: string "ssh-rsa", mpint e, mpint n; an mpint with its top bit set gets a zero byte in front.
    const field = (bytes) => {
        const body = bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
        const length = Buffer.alloc(4);
        length.writeUInt32BE(body.length);
        return Buffer.concat([length, body]);
    };
    const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), field(Buffer.from(jwk.e, 'base64url')), field(Buffer.from(jwk.n, 'base64url'))]);
    return { privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicKey: `ssh-rsa ${blob.toString('base64')} setup-swarm` };
}

// EXTERNAL MODULE: ./src/inputs/values.ts
var values = __webpack_require__(18463);
// EXTERNAL MODULE: ./src/drivers/ec2/retry.ts
var retry = __webpack_require__(68516);
;// CONCATENATED MODULE: ./src/drivers/ec2/security-group.ts






/** docker-machine's SSH and the Docker engine's TLS port: reached from the runner (or `allowed-cidrs`). */
const ADMIN_PORTS = [22, 2376];
/** What swarm nodes need between themselves: management, gossip, overlay (VXLAN). */
const SWARM_PORTS = [
    { protocol: 'tcp', port: 2377, purpose: 'swarm management' },
    { protocol: 'tcp', port: 7946, purpose: 'swarm gossip' },
    { protocol: 'udp', port: 7946, purpose: 'swarm gossip' },
    { protocol: 'udp', port: 4789, purpose: 'overlay VXLAN' }
];
const EVERYWHERE = '0.0.0.0/0';
function fromCidrs(protocol, port, cidrs, purpose) {
    const v4 = cidrs.filter((cidr) => !cidr.includes(':'));
    const v6 = cidrs.filter((cidr) => cidr.includes(':'));
    const Description = `setup-swarm: ${purpose}`;
    return {
        IpProtocol: protocol,
        FromPort: port,
        ToPort: port,
        ...(v4.length ? { IpRanges: v4.map((CidrIp) => ({ CidrIp, Description })) } : {}),
        ...(v6.length ? { Ipv6Ranges: v6.map((CidrIpv6) => ({ CidrIpv6, Description })) } : {})
    };
}
/** Refuses CIDRs and ports EC2 would refuse, before anything is created. */
function checkIngress({ adminCidrs, publishedPorts = [] }) {
    if (!adminCidrs.length)
        throw new Error('no CIDR may reach the nodes: give the runner address or `allowed-cidrs`');
    for (const cidr of adminCidrs)
        if (!(0,values/* isCidr */.JR)(cidr))
            throw new Error(`input \`allowed-cidrs\`: "${cidr}" is not a CIDR such as 203.0.113.7/32`);
    for (const port of publishedPorts) {
        if (!Number.isInteger(port) || port < 1 || port > 65535)
            throw new Error(`published port ${port} is not a port number`);
    }
}
/** The group's ingress: admin ports from the admin CIDRs, swarm ports only from the group itself. */
function ingressRules(groupId, options) {
    checkIngress(options);
    const { adminCidrs, publishedPorts = [], publishToInternet = false } = options;
    // An admin port is open from the admin CIDRs already; opening it again would be a duplicate rule or SSH to everyone.
    const published = [...new Set(publishedPorts)].filter((port) => !ADMIN_PORTS.includes(port));
    return [
        fromCidrs('tcp', 22, adminCidrs, 'SSH (docker-machine)'),
        fromCidrs('tcp', 2376, adminCidrs, 'Docker engine TLS'),
        ...SWARM_PORTS.map(({ protocol, port, purpose }) => ({
            IpProtocol: protocol,
            FromPort: port,
            ToPort: port,
            UserIdGroupPairs: [{ GroupId: groupId, Description: `setup-swarm: ${purpose}` }]
        })),
        ...published.map((port) => fromCidrs('tcp', port, publishToInternet ? [EVERYWHERE] : adminCidrs, `published port ${port}`))
    ];
}
/**
 * The cluster's security group's name, and its key pair's: unique in a VPC and in a region, so named
 * after the repository too, or two repositories' `pr-5` in one account would fail on each other's. A
 * cluster's name has no '@' and a repository none, so no two clusters share one. At most 193
 * characters (40 + 140 and the rest), within EC2's 255; '@' and '/' are allowed in both.
 */
const securityGroupName = ({ cluster, repository }) => `setup-swarm-${cluster}@${repository}`;
async function defaultVpcId(client, region) {
    const { Vpcs: vpcs = [] } = await client.send(new dist_cjs/* DescribeVpcsCommand */.Dti({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    const vpcId = vpcs[0]?.VpcId;
    if (!vpcId)
        throw new Error(`the AWS account has no default VPC in ${region}: give a VPC (and a subnet of it) explicitly`);
    return vpcId;
}
/**
 * Creates the cluster's group, tagged, in `vpcId` or the default VPC, and authorizes its ingress.
 * `onCreated` hears of the group as soon as it exists, before its rules: a failure after it leaves a group to remove.
 */
async function createSecurityGroup(client, options) {
    const { labels, region, ingress, pace } = options;
    const groupName = securityGroupName(labels);
    checkIngress(ingress);
    const vpcId = options.vpcId || (await defaultVpcId(client, region));
    const created = await client
        .send(new dist_cjs/* CreateSecurityGroupCommand */.x3C({
        GroupName: groupName,
        Description: `setup-swarm cluster ${labels.cluster} of ${labels.repository}, run ${labels.run}`,
        VpcId: vpcId,
        TagSpecifications: (0,tags/* tagSpecifications */.v7)(labels, groupName, 'security-group')
    }))
        .catch((error) => {
        if (!(0,errors/* hasCode */.up)(error, 'InvalidGroup.Duplicate'))
            throw error;
        throw new Error(`security group ${groupName} already exists in ${vpcId} (${region}): a cluster named ${labels.cluster} is running or was not removed; destroy it or choose another name`);
    });
    const groupId = created.GroupId;
    core/* info */.pq(`created security group ${groupId} (${groupName}) in ${vpcId}`);
    options.onCreated?.({ groupId, groupName, vpcId });
    // A new group can be unknown to the next call for a moment (eventual consistency).
    await (0,retry/* retryWhile */.i)((error) => (0,errors/* hasCode */.up)(error, 'InvalidGroup.NotFound'), { ...pace, intervalMs: pace.intervalMs ?? 1000 }, () => client.send(new dist_cjs/* AuthorizeSecurityGroupIngressCommand */.N8i({ GroupId: groupId, IpPermissions: ingressRules(groupId, ingress) })));
    return { groupId, groupName, vpcId };
}
/** Every security group matching `filters`, over all pages. */
async function describeSecurityGroups(client, filters) {
    const groups = [];
    let nextToken;
    do {
        const page = await client.send(new dist_cjs/* DescribeSecurityGroupsCommand */.jsQ({ Filters: filters, NextToken: nextToken, MaxResults: 1000 }));
        groups.push(...(page.SecurityGroups ?? []));
        nextToken = page.NextToken;
    } while (nextToken);
    return groups;
}
const findClusterSecurityGroups = (client, cluster, repository, run) => describeSecurityGroups(client, (0,tags/* clusterFilters */.w5)(cluster, repository, run));
/**
 * Deletes a group, again and again while instances still hold it (DependencyViolation) or EC2
 * throttles, until the deadline; `onHeld` hears each time instances still hold it. A group already gone counts as removed. Returns a leftover
 * line, or undefined when the group is gone.
 */
async function deleteSecurityGroup(client, groupId, region, pace, 
/** Called when instances still hold the group, before the next try: to end those that were not listed before. */
onHeld) {
    try {
        await (0,retry/* retryWhile */.i)((error) => (0,errors/* hasCode */.up)(error, 'DependencyViolation', 'RequestLimitExceeded'), pace, async () => {
            try {
                return await client.send(new dist_cjs/* DeleteSecurityGroupCommand */.yEh({ GroupId: groupId }));
            }
            catch (error) {
                if ((0,errors/* hasCode */.up)(error, 'DependencyViolation'))
                    await onHeld?.();
                throw error;
            }
        });
    }
    catch (error) {
        if ((0,errors/* hasCode */.up)(error, 'InvalidGroup.NotFound'))
            return undefined;
        (0,errors/* throwIfCredentials */.GL)(error, `deleting security group ${groupId} in ${region}`);
        const when = (0,errors/* hasCode */.up)(error, 'DependencyViolation', 'RequestLimitExceeded') ? 'not deleted before the deadline' : 'not deleted';
        return `security group ${groupId} in ${region}: ${when} (${(0,errors/* describeError */.Uc)(error)}); delete it by hand: aws ec2 delete-security-group --region ${region} --group-id ${groupId}`;
    }
    core/* info */.pq(`deleted security group ${groupId}`);
    return undefined;
}

;// CONCATENATED MODULE: ./src/drivers/ec2/destroy.ts






const PROGRESS_EVERY_MS = 15_000;
/**
 * Removes every EC2 resource of a cluster, found by its tags and by the recorded key pair names:
 * instances (waiting until they are terminated), key pairs, then security groups. Never throws:
 * what it could not remove is in `leftovers`.
 */
async function destroyCluster(client, options) {
    const { cluster, region } = options;
    const report = { removed: [], leftovers: [], credentialsFailed: false };
    try {
        await removeResources(client, options, report);
    }
    catch (error) {
        const credentials = (0,errors/* credentialsError */.n7)(error, `destroying cluster ${cluster} in ${region}`);
        report.credentialsFailed = Boolean(credentials);
        report.leftovers.push(credentials?.message ?? `cluster ${cluster} in ${region}: ${(0,errors/* describeError */.Uc)(error)}`);
    }
    return report;
}
async function removeResources(client, options, report) {
    const { cluster, region, repository, run, pace } = options;
    const doing = `destroying cluster ${cluster} in ${region}`;
    // Each step runs even when one before it failed; only a credentials failure stops them all.
    const step = async (what, work) => {
        try {
            await work();
        }
        catch (error) {
            (0,errors/* throwIfCredentials */.GL)(error, doing);
            report.leftovers.push(`cluster ${cluster} in ${region}: ${what} failed (${(0,errors/* describeError */.Uc)(error)}); run destroy again to remove what is left`);
        }
    };
    let taggedKeys = [];
    await step('listing its key pairs', async () => {
        taggedKeys = await findClusterKeyPairs(client, cluster, repository, run);
    });
    const recordedKeys = (options.keyNames ?? []).map((name) => ({ name, since: options.keyNamesSince }));
    const keyHints = [...recordedKeys, ...taggedKeys.map((pair) => ({ name: pair.name, since: pair.created }))];
    let instances = [];
    // Until every instance is known to be terminated, the key pairs stay: they lead the next
    // destroy to an instance docker-machine had not tagged yet.
    let instancesGone = false;
    await step('listing its instances', async () => {
        instances = await (0,ec2_instances/* findClusterInstances */.IJ)(client, cluster, { repository, run, keyNames: keyHints });
    });
    await step('terminating its instances', async () => {
        const { terminating, leftovers } = await (0,ec2_instances/* terminateInstances */.ch)(client, instances.map((instance) => instance.InstanceId), region);
        const left = await (0,ec2_instances/* waitTerminated */.B8)(client, terminating, pace, throttled(options.onProgress));
        const leftIds = new Set(left.map(({ id }) => id));
        const terminated = instances.filter((instance) => terminating.includes(instance.InstanceId) && !leftIds.has(instance.InstanceId));
        report.removed.push(...terminated.map((instance) => `instance ${(0,ec2_instances/* instanceLabel */.wl)(instance)} in ${region}`));
        report.leftovers.push(...leftovers, ...left.map(({ id, state }) => (0,ec2_instances/* instanceLeftover */.tA)(id, region, `still ${state} at the deadline`)));
        instancesGone = !leftovers.length && !left.length;
    });
    // docker-machine's own key pair of a machine carries the machine's name, which is the instance's Name tag.
    const machineKeys = instances
        .filter((instance) => instance.KeyName && instance.KeyName === (0,tags/* tagValue */.EZ)(instance.Tags, 'Name'))
        .map((instance) => instance.KeyName);
    const keyNames = [...new Set([...keyHints.map((hint) => hint.name), ...machineKeys])];
    if (instancesGone) {
        await step('deleting its key pairs', async () => {
            const { removed, leftovers } = await deleteKeyPairs(client, keyNames, region);
            report.removed.push(...removed.map((name) => `key pair ${name} in ${region}`));
            report.leftovers.push(...leftovers);
        });
    }
    else if (keyNames.length) {
        report.leftovers.push(`key pairs ${keyNames.join(', ')} in ${region}: kept while instances of cluster ${cluster} may remain; run destroy again`);
    }
    await step('deleting its security groups', async () => {
        for (const group of await findClusterSecurityGroups(client, cluster, repository, run)) {
            const leftover = await deleteSecurityGroup(client, group.GroupId, region, pace, () => terminateLateInstances(client, group.GroupId, region, report));
            if (leftover)
                report.leftovers.push(leftover);
            else
                report.removed.push(`security group ${group.GroupId} (${group.GroupName}) in ${region}`);
        }
    });
}
/**
 * Ends instances that hold the cluster's own group but were not listed with the cluster's: EC2's
 * lists are eventually consistent, and an instance whose launch a cancel interrupted may show up late.
 * The group is the cluster's alone, so whatever is in it is the cluster's.
 */
async function terminateLateInstances(client, groupId, region, report) {
    const late = (await (0,ec2_instances/* describeInstances */.cf)(client, [{ Name: 'instance.group-id', Values: [groupId] }])).filter((instance) => !['shutting-down', 'terminated'].includes(instance.State?.Name ?? ''));
    if (!late.length)
        return;
    const { terminating, leftovers } = await (0,ec2_instances/* terminateInstances */.ch)(client, late.map((instance) => instance.InstanceId), region);
    report.removed.push(...late
        .filter((instance) => terminating.includes(instance.InstanceId))
        .map((instance) => `instance ${(0,ec2_instances/* instanceLabel */.wl)(instance)} in ${region} (listed late)`));
    report.leftovers.push(...leftovers);
}
function throttled(onProgress) {
    const print = onProgress ?? core/* info */.pq;
    let next = Date.now() + PROGRESS_EVERY_MS;
    return (pending) => {
        if (Date.now() < next)
            return;
        next = Date.now() + PROGRESS_EVERY_MS;
        print(`waiting for instances to terminate: ${pending.map(({ id, state }) => `${id} (${state})`).join(', ')}`);
    };
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
;// CONCATENATED MODULE: ./src/drivers/ec2/runner-address.ts


/** Services that answer with the caller's public IPv4 address and nothing else. */
const ADDRESS_SERVICES = ['https://checkip.amazonaws.com', 'https://api.ipify.org'];
const TIMEOUT_MS = 5000;
/** The runner's public IPv4 address, asked of each service in turn, each bounded by `timeoutMs`. */
async function runnerPublicAddress(options = {}) {
    const { fetch: get = fetch, services = ADDRESS_SERVICES, timeoutMs = TIMEOUT_MS } = options;
    const failures = [];
    for (const service of services) {
        try {
            const response = await get(service, { signal: AbortSignal.timeout(timeoutMs) });
            if (!response.ok)
                throw new Error(`HTTP ${response.status}`);
            const address = (await response.text()).trim();
            if (!(0,external_node_net_.isIPv4)(address))
                throw new Error(`answered "${address.slice(0, 40)}", not an IPv4 address`);
            core/* info */.pq(`the runner's public address is ${address} (from ${service})`);
            return address;
        }
        catch (error) {
            failures.push(`${service}: ${error.message}`);
        }
    }
    throw new Error(`could not find the runner's public IPv4 address (${failures.join('; ')}); set the input \`allowed-cidrs\` ` +
        'to the CIDRs that may reach the nodes on SSH (22) and Docker (2376), e.g. 203.0.113.7/32');
}
/** Who may reach the nodes: `allowed-cidrs` when given, else the runner's public address /32. */
async function adminCidrs(allowedCidrs, options = {}) {
    if (allowedCidrs.length)
        return allowedCidrs;
    return [`${await runnerPublicAddress(options)}/32`];
}

// EXTERNAL MODULE: ./src/engine/api.ts
var api = __webpack_require__(76750);
;// CONCATENATED MODULE: ./src/drivers/ec2/find-kept.ts









// A kept EC2 cluster (driver `aws` or `amazonec2`), found again from any runner by its instances' tags:
// no docker-machine store is needed (it stayed on the runner that made them), only the instances'
// names and addresses.
/** `repository`'s kept cluster's nodes, or undefined when no instance of it is left. */
async function findKeptEc2(inputs, repository, privateOnly = false) {
    const client = (0,ec2_client/* createEc2Client */.y1)((0,ec2_client/* resolveRegion */.Zv)(inputs.aws.region));
    const instances = await (0,ec2_instances/* findClusterInstances */.IJ)(client, inputs.name, { repository });
    return instances.length ? keptEc2Nodes(inputs, instances, privateOnly) : undefined;
}
/**
 * A kept cluster in use again lives `ttl` from now: its instances, security groups and key pairs get
 * a new expiry tag, or the sweep would remove a pull request's environment while it is still used.
 */
async function renewKeptEc2(inputs, repository = process.env.GITHUB_REPOSITORY, now = new Date()) {
    const client = (0,ec2_client/* createEc2Client */.y1)((0,ec2_client/* resolveRegion */.Zv)(inputs.aws.region));
    const [instances, groups, keyPairs] = await Promise.all([
        (0,ec2_instances/* findClusterInstances */.IJ)(client, inputs.name, { repository }),
        findClusterSecurityGroups(client, inputs.name, repository),
        findClusterKeyPairs(client, inputs.name, repository)
    ]);
    const ids = [...instances.map((instance) => instance.InstanceId), ...groups.map((group) => group.GroupId), ...keyPairs.map((pair) => pair.id)];
    const expires = (0,tags/* expiryAfter */.I$)(inputs.ttlSeconds, now);
    const tagging = new dist_cjs/* CreateTagsCommand */.RmG({ Resources: ids.filter((id) => id !== undefined), Tags: [{ Key: tags/* TAG_KEYS */.SE.expires, Value: expires }] });
    await client.send(tagging).catch((error) => {
        (0,errors/* throwIfCredentials */.GL)(error, `tagging kept cluster ${inputs.name} with a new expiry`);
        throw new Error(`tagging its resources with a new expiry failed: ${(0,errors/* describeError */.Uc)(error)}; the role needs ec2:CreateTags`, { cause: error });
    });
    core/* info */.pq(`kept cluster ${inputs.name} now expires at ${expires} (\`ttl\` from this run)`);
}
/**
 * The nodes the inputs describe, each from its running instance, named by its `Name` tag; `privateOnly`:
 * the runner reaches the instances on their private addresses.
 */
function keptEc2Nodes(inputs, instances, privateOnly) {
    const byName = new Map(instances.map((instance) => [(0,tags/* tagValue */.EZ)(instance.Tags, 'Name') ?? instance.InstanceId, instance]));
    const problems = [];
    const nodes = inputs.nodes.flatMap((node) => {
        const instance = byName.get(node.name);
        const state = instance?.State?.Name;
        if (!instance)
            problems.push(`${node.name} has no instance`);
        else if (state !== 'running')
            problems.push(`${node.name}'s instance ${instance.InstanceId} is ${state ?? 'in no known state'}`);
        const ip = privateOnly ? instance?.PrivateIpAddress : (instance?.PublicIpAddress ?? instance?.PrivateIpAddress);
        if (!instance || state !== 'running')
            return [];
        if (!ip) {
            problems.push(`${node.name}'s instance ${instance.InstanceId} has no address`);
            return [];
        }
        return [{ name: node.name, role: node.role, ip, advertiseIp: instance.PrivateIpAddress ?? ip, dockerHost: `tcp://${ip}:${api/* ENGINE_PORT */.Xg}` }];
    });
    const named = new Set(inputs.nodes.map((node) => node.name));
    for (const [name, instance] of byName)
        if (!named.has(name))
            problems.push(`instance ${instance.InstanceId} (${name}) is not a node the inputs name`);
    if (problems.length) {
        throw new Error(`kept cluster "${inputs.name}" is not healthy: ${problems.join('; ')}. Destroy it by name (setup-swarm/destroy) and run again to make it anew`);
    }
    return nodes;
}

;// CONCATENATED MODULE: ./src/drivers/ec2/cluster.ts











const DESTROY_SECONDS = 600;
/** A destroy by name has a job of its own: it may wait for every instance to terminate. */
const DESTROY_BY_NAME_SECONDS = 900;
/** Fails, naming what is missing, before anything is created. */
function preflightEc2Cluster(inputs) {
    (0,ec2_client/* checkCredentials */.vG)(process.env, inputs.driver);
    (0,ec2_client/* resolveRegion */.Zv)(inputs.aws.region);
    if (!inputs.cleanup && !inputs.tls) {
        throw new Error(`inputs \`tls-ca-cert\`, \`tls-ca-key\`, \`tls-client-cert\`, \`tls-client-key\`: a kept ${inputs.driver} cluster (\`cleanup: false\`) is reached by later jobs, on other runners, only with the CA it was made with: give your own (the README shows how to make one and keep it in secrets)`);
    }
    if (!process.env.GITHUB_REPOSITORY)
        throw new Error(`driver \`${inputs.driver}\` tags every resource with its repository: GITHUB_REPOSITORY must be set, as GitHub Actions sets it`);
}
/**
 * Makes the cluster's security group and key pair, both tagged at creation. `record` saves the state
 * once the group exists, before anything else does, and again once the key pair does.
 */
async function createEc2Cluster(inputs, dir, options) {
    const region = (0,ec2_client/* resolveRegion */.Zv)(inputs.aws.region);
    const labels = (0,tags/* clusterLabels */.EC)(inputs.name, inputs.ttlSeconds);
    // The key pair is named like the group: one of each per cluster of a repository.
    const keyName = securityGroupName(labels);
    const state = { region, repository: labels.repository, since: new Date().toISOString(), run: labels.run };
    const client = (0,ec2_client/* createEc2Client */.y1)(region);
    const cidrs = await adminCidrs(inputs.aws.allowedCidrs);
    const group = await createSecurityGroup(client, {
        labels,
        region,
        vpcId: options.vpcId,
        ingress: { adminCidrs: cidrs, publishedPorts: inputs.aws.publishedPorts, publishToInternet: inputs.aws.publishToInternet },
        pace: { deadline: options.deadline },
        // A group's name is unique in its VPC: creating it claims the cluster's name for this run. Only
        // then may post remove what carries the cluster's tags; a group of that name that exists already
        // is another run's cluster (kept, or still running), and a main failing on it must leave it be.
        onCreated: () => options.record(state)
    });
    core/* info */.pq(`security group ${group.groupName}: 22/tcp and 2376/tcp from ${cidrs.join(', ')}; swarm ports only between the nodes`);
    const sshDir = external_node_path_default().join(dir, 'ssh');
    await (0,tls/* makePrivateDir */.hI)(sshDir);
    const sshKey = generateSshKey();
    const keyPath = external_node_path_default().join(sshDir, 'id_rsa');
    await (0,tls/* writeSecretFiles */.Bd)([[keyPath, sshKey.privateKey]]);
    // docker-machine copies the key and the `.pub` beside it into each machine's store, with
    // --amazonec2-keypair-name too (createKeyPair), and fails the create when the `.pub` is missing.
    await (0,promises_.writeFile)(`${keyPath}.pub`, `${sshKey.publicKey}\n`, { mode: 0o644 });
    await importKeyPair(client, keyName, sshKey.publicKey, labels);
    // Only now: a key pair of that name that existed already is another cluster's, and post deletes recorded key pairs by name.
    options.record({ ...state, keyName });
    return { client, region, labels, vpcId: group.vpcId, groupId: group.groupId, groupName: group.groupName, keyName, keyPath };
}

/** The destroy action's: `repository`'s kept cluster by its name, found by its tags, with the credentials the job has. */
async function destroyKeptEc2(cluster, driver, regionInput, repository) {
    (0,ec2_client/* checkCredentials */.vG)(process.env, driver);
    const region = (0,ec2_client/* resolveRegion */.Zv)(regionInput);
    core/* info */.pq(`destroying cluster ${cluster} in ${region}`);
    return destroyCluster((0,ec2_client/* createEc2Client */.y1)(region), {
        cluster,
        region,
        repository,
        pace: { deadline: new wait/* Deadline */.B2(DESTROY_BY_NAME_SECONDS, `${DESTROY_BY_NAME_SECONDS} s to destroy the cluster`) }
    });
}
/** Removes the cluster's instances, key pairs and security group through the EC2 API, with the credentials post has now. */
async function removeEc2(cluster, state) {
    const report = await destroyCluster((0,ec2_client/* createEc2Client */.y1)(state.region), {
        cluster,
        region: state.region,
        repository: state.repository,
        run: state.run,
        // Only the cluster's own key pair: every instance is launched with it (docker-machine imports none of
        // its own), and a key pair named like a machine is someone else's, as is an instance launched with it.
        keyNames: state.keyName ? [state.keyName] : [],
        keyNamesSince: new Date(state.since),
        pace: { deadline: new wait/* Deadline */.B2(DESTROY_SECONDS, `${DESTROY_SECONDS} s to remove the EC2 resources`) }
    });
    for (const line of report.removed)
        core/* info */.pq(`removed ${line}`);
    return report.leftovers;
}


/***/ }),

/***/ 73947:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GL: () => (/* binding */ throwIfCredentials),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   n7: () => (/* binding */ credentialsError),
/* harmony export */   up: () => (/* binding */ hasCode)
/* harmony export */ });
/* unused harmony exports errorCode, redact, CredentialsError */
// How EC2 failures are told apart and put into words that never carry a credential.
/** Codes EC2 gives when the signing credentials expired or were rejected as a whole. */
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'AuthFailure']);
/** The SDK's own error when no provider of its chain has credentials. */
const NO_CREDENTIALS = 'CredentialsProviderError';
/** Environment variables whose values must never reach a log line or an error message. */
const SECRET_VARIABLES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID'];
/** The error code of an EC2 failure: the SDK puts it in `name` (and `Code` for EC2's query protocol). */
function errorCode(error) {
    if (!error || typeof error !== 'object')
        return '';
    const { name, Code: code } = error;
    if (typeof name === 'string' && name && name !== 'Error')
        return name;
    return typeof code === 'string' ? code : '';
}
const hasCode = (error, ...codes) => codes.includes(errorCode(error));
/** Replaces the current credential values with `***`, wherever they appear. */
function redact(text, env = process.env) {
    let safe = text;
    for (const variable of SECRET_VARIABLES) {
        const value = env[variable]?.trim();
        // Very short values would blank out ordinary words; real credentials are 16 characters or more.
        if (value && value.length >= 8)
            safe = safe.split(value).join('***');
    }
    return safe;
}
/** `Code: message` of an error, safe to log. */
function describeError(error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = errorCode(error);
    return redact(code && !message.startsWith(code) ? `${code}: ${message}` : message);
}
/** Thrown when nothing more can be done with the current credentials; its message is safe to show. */
class CredentialsError extends Error {
}
/** A CredentialsError for `error` when the credentials, not the resource, are the problem. */
function credentialsError(error, doing) {
    if (error instanceof CredentialsError)
        return error;
    const code = errorCode(error);
    const retry = 'run destroy again with fresh credentials (aws-actions/configure-aws-credentials); it finds the cluster by its tags';
    if (EXPIRED_CREDENTIALS.has(code)) {
        return new CredentialsError(`the AWS credentials expired or were rejected (${code}) while ${doing}; ${retry}`);
    }
    if (code === NO_CREDENTIALS)
        return new CredentialsError(`no AWS credentials were found while ${doing}; ${retry}`);
    return undefined;
}
/** Rethrows `error` as a CredentialsError when it is one; returns otherwise. */
function throwIfCredentials(error, doing) {
    const credentials = credentialsError(error, doing);
    if (credentials)
        throw credentials;
}


/***/ }),

/***/ 49534:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B8: () => (/* binding */ waitTerminated),
/* harmony export */   IJ: () => (/* binding */ findClusterInstances),
/* harmony export */   cf: () => (/* binding */ describeInstances),
/* harmony export */   ch: () => (/* binding */ terminateInstances),
/* harmony export */   tA: () => (/* binding */ instanceLeftover),
/* harmony export */   wl: () => (/* binding */ instanceLabel)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(46058);
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(35193);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73947);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(68516);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(69869);





/** Every state but `terminated`: an instance in any of them may still cost money. */
const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];
/** Allowance between the runner's clock and EC2's when comparing launch times. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Every instance matching `filters`, over all pages. */
async function describeInstances(client, filters) {
    const instances = [];
    let nextToken;
    do {
        const page = await client.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .DescribeInstancesCommand */ .bNs({ Filters: filters, NextToken: nextToken, MaxResults: 1000 }));
        for (const reservation of page.Reservations ?? [])
            instances.push(...(reservation.Instances ?? []));
        nextToken = page.NextToken;
    } while (nextToken);
    return instances;
}
const liveOnly = { Name: 'instance-state-name', Values: LIVE_STATES };
/**
 * The cluster's instances that are not terminated: those tagged with it, and those launched with
 * one of its key pairs. docker-machine tags an instance only once it runs, so a create killed
 * halfway leaves one that only its key pair (named after the machine) points at.
 */
async function findClusterInstances(client, cluster, options = {}) {
    const { repository, run, keyNames = [] } = options;
    const tagged = await describeInstances(client, [...(0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .clusterFilters */ .w5)(cluster, repository, run), liveOnly]);
    const byKey = keyNames.length
        ? await describeInstances(client, [{ Name: 'key-name', Values: [...new Set(keyNames.map((hint) => hint.name))] }, liveOnly])
        : [];
    const found = new Map();
    for (const instance of tagged)
        found.set(instance.InstanceId, instance);
    for (const instance of byKey)
        if (launchedWithClusterKey(instance, { cluster, repository, run }, keyNames))
            found.set(instance.InstanceId, instance);
    return [...found.values()];
}
/** An instance with a cluster's key name is that cluster's unless its tags or launch time say otherwise. */
function launchedWithClusterKey(instance, scope, hints) {
    // An untagged instance (docker-machine tags after launch) is judged by its launch time alone.
    const differs = (key, wanted) => {
        const tagged = (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .tagValue */ .EZ)(instance.Tags, key);
        return wanted !== undefined && tagged !== undefined && tagged !== wanted;
    };
    if (differs(_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG_KEYS */ .SE.cluster, scope.cluster) || differs(_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG_KEYS */ .SE.repository, scope.repository) || differs(_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG_KEYS */ .SE.run, scope.run))
        return false;
    // A same-named key pair of someone else's, deleted since, may have launched an older instance.
    const since = hints.filter((hint) => hint.name === instance.KeyName && hint.since).map((hint) => hint.since.getTime());
    const launched = instance.LaunchTime?.getTime();
    return !since.length || launched === undefined || launched >= Math.min(...since) - CLOCK_SKEW_MS;
}
const instanceLabel = (instance) => {
    const name = (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .tagValue */ .EZ)(instance.Tags, 'Name');
    return name ? `${instance.InstanceId} (${name})` : instance.InstanceId;
};
/** Terminates instances; returns those now terminating and a leftover line for each that refused. */
async function terminateInstances(client, ids, region) {
    if (!ids.length)
        return { terminating: [], leftovers: [] };
    try {
        await client.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .TerminateInstancesCommand */ .NaF({ InstanceIds: ids }));
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`terminating ${ids.join(', ')}`);
        return { terminating: ids, leftovers: [] };
    }
    catch (error) {
        (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .throwIfCredentials */ .GL)(error, `terminating instances in ${region}`);
        if (ids.length === 1) {
            // Gone since it was listed: nothing to terminate.
            if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .hasCode */ .up)(error, 'InvalidInstanceID.NotFound'))
                return { terminating: [], leftovers: [] };
            return { terminating: [], leftovers: [instanceLeftover(ids[0], region, (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describeError */ .Uc)(error))] };
        }
    }
    // One instance that refuses fails the whole call: each one on its own, so the others still go.
    const results = [];
    for (const id of ids)
        results.push(await terminateInstances(client, [id], region));
    return { terminating: results.flatMap((result) => result.terminating), leftovers: results.flatMap((result) => result.leftovers) };
}
function instanceLeftover(id, region, why) {
    return `instance ${id} in ${region}: ${why}; terminate it by hand: aws ec2 terminate-instances --region ${region} --instance-ids ${id}`;
}
/**
 * Waits until every instance is terminated (or gone), bounded by the deadline; `onProgress`
 * hears the ones still shutting down after each look. Returns those not terminated at the deadline.
 */
async function waitTerminated(client, ids, pace, onProgress) {
    if (!ids.length)
        return [];
    let pending = [];
    // A filter, not InstanceIds: an ID EC2 no longer knows is then simply absent, not an error.
    const done = await (0,_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .waitUntil */ .a)(pace, async () => {
        const instances = await describeInstances(client, [{ Name: 'instance-id', Values: ids }]);
        pending = instances
            .filter((instance) => instance.State?.Name !== 'terminated')
            .map((instance) => ({ id: instance.InstanceId, state: instance.State?.Name ?? 'unknown' }));
        if (pending.length)
            onProgress?.(pending);
        return pending.length === 0;
    });
    return done ? [] : pending;
}


/***/ }),

/***/ 68516:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ waitUntil),
/* harmony export */   i: () => (/* binding */ retryWhile)
/* harmony export */ });
/* harmony import */ var _tools_wait_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(15874);

const DEFAULT_INTERVAL_MS = 5000;
async function pause(pace) {
    await (pace.sleep ?? _tools_wait_js__WEBPACK_IMPORTED_MODULE_0__/* .sleep */ .yy)(Math.min(pace.intervalMs ?? DEFAULT_INTERVAL_MS, pace.deadline.remainingMs()));
}
/**
 * Calls `attempt` until it succeeds, throws an error `retryable` refuses, or the deadline
 * passes; then the last error is thrown. The first attempt always runs.
 */
async function retryWhile(retryable, pace, attempt) {
    for (;;) {
        try {
            return await attempt();
        }
        catch (error) {
            if (!retryable(error) || pace.deadline.expired())
                throw error;
        }
        await pause(pace);
    }
}
/** Calls `check` until it returns true (then true) or the deadline passes (then false). */
async function waitUntil(pace, check) {
    for (;;) {
        if (await check())
            return true;
        if (pace.deadline.expired())
            return false;
        await pause(pace);
    }
}


/***/ }),

/***/ 69869:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EC: () => (/* binding */ clusterLabels),
/* harmony export */   EZ: () => (/* binding */ tagValue),
/* harmony export */   I$: () => (/* binding */ expiryAfter),
/* harmony export */   SE: () => (/* binding */ TAG_KEYS),
/* harmony export */   v7: () => (/* binding */ tagSpecifications),
/* harmony export */   w5: () => (/* binding */ clusterFilters),
/* harmony export */   yf: () => (/* binding */ machineTagsOption)
/* harmony export */ });
/* unused harmony exports clusterTags, repositoryFilters, isExpired */
// Every resource of a cluster carries these tags: destroy and sweep find resources by them
// alone, with no local state.
const TAG_KEYS = {
    cluster: 'setup-swarm:cluster',
    repository: 'setup-swarm:repository',
    run: 'setup-swarm:run',
    expires: 'setup-swarm:expires'
};
function clusterLabels(cluster, ttlSeconds, env = process.env, now = new Date()) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
        throw new Error(`ttl: ${ttlSeconds} is not a positive number of seconds`);
    const repository = env.GITHUB_REPOSITORY?.trim();
    // Sweeps find clusters by repository: a cluster without one could never be swept.
    if (!repository)
        throw new Error('GITHUB_REPOSITORY is not set: AWS resources are tagged with their repository, run this in GitHub Actions');
    const run = `${env.GITHUB_RUN_ID?.trim() || 'local'}-${env.GITHUB_RUN_ATTEMPT?.trim() || '1'}`;
    return { cluster, repository, run, expires: expiryAfter(ttlSeconds, now) };
}
/** The expiry tag's value: `ttlSeconds` from `now`, ISO-8601 in UTC, to the second. */
function expiryAfter(ttlSeconds, now = new Date()) {
    return new Date(now.getTime() + ttlSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/** `Name` first (the console shows it), then the cluster's tags. */
function clusterTags(labels, name) {
    return [
        { Key: 'Name', Value: name },
        { Key: TAG_KEYS.cluster, Value: labels.cluster },
        { Key: TAG_KEYS.repository, Value: labels.repository },
        { Key: TAG_KEYS.run, Value: labels.run },
        { Key: TAG_KEYS.expires, Value: labels.expires }
    ];
}
/** TagSpecifications for a create call, so a resource is never untagged, not even for a moment. */
function tagSpecifications(labels, name, ...resourceTypes) {
    return resourceTypes.map((ResourceType) => ({ ResourceType, Tags: clusterTags(labels, name) }));
}
/**
 * The value of docker-machine's `--amazonec2-tags` (`key1,value1,key2,value2`, split on every
 * comma). `Name` is left out: the driver sets it to the machine's name itself.
 */
function machineTagsOption(labels) {
    const tags = clusterTags(labels, '').filter((tag) => tag.Key !== 'Name');
    for (const tag of tags) {
        if (`${tag.Key}${tag.Value}`.includes(','))
            throw new Error(`tag ${tag.Key}: "${tag.Value}" holds a comma, which --amazonec2-tags cannot carry`);
    }
    return tags.flatMap((tag) => [tag.Key, tag.Value]).join(',');
}
const tagFilter = (key, value) => ({ Name: `tag:${key}`, Values: [value] });
/**
 * Resources of one cluster; with `repository`, only that repository's cluster of this name; with
 * `run`, only what that run created (post: a same-named cluster of another run is not its own).
 */
function clusterFilters(cluster, repository, run) {
    return [
        tagFilter(TAG_KEYS.cluster, cluster),
        ...(repository ? [tagFilter(TAG_KEYS.repository, repository)] : []),
        ...(run ? [tagFilter(TAG_KEYS.run, run)] : [])
    ];
}
/** Resources of every cluster of one repository. */
function repositoryFilters(repository) {
    return [tagFilter(TAG_KEYS.repository, repository)];
}
function tagValue(tags, key) {
    return tags?.find((tag) => tag.Key === key)?.Value;
}
/** True when the resource's expiry tag lies before `now`; a missing or unreadable tag is not expired. */
function isExpired(tags, now) {
    const expires = Date.parse(tagValue(tags, TAG_KEYS.expires) ?? '');
    return Number.isFinite(expires) && expires < now.getTime();
}


/***/ })

};
