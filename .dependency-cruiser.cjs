// Imports in src/ flow one way: `npm run deps` (and the test command) fails on an import circle,
// type-only imports included, and on an import that climbs up the stages. The order, lowest first:
// each layer may import only the layers before it (and itself). See the README.md of each folder.
const LAYERS = [
  // Shared tools: processes, bounded waits, what could not be removed.
  { name: 'tools', path: '^src/tools/' },
  // Stage 1: the inputs, parsed and checked.
  { name: 'inputs', path: '^src/inputs/' },
  // Shared: reaching an engine (the node, the Engine API, the docker CLI, TLS, image identity).
  { name: 'engine', path: '^src/engine/' },
  // Shared: a cluster's owner, dir, state (main to post) and record (later steps).
  { name: 'state', path: '^src/state/' },
  // Stage 2: the driver contract; it depends on nothing above it.
  { name: 'driver-contract', path: '^src/drivers/driver\\.ts$' },
  // Stage 3: the swarm formed on the nodes, or a kept one attached.
  { name: 'swarm', path: '^src/swarm/' },
  // Stage 4: images, stack, convergence, builds.
  { name: 'workload', path: '^src/workload/' },
  // The stages run together: a cluster created, or a kept one found again.
  { name: 'cluster', path: '^src/cluster/' },
  // Stage 5: outputs, exported environment, job summary.
  { name: 'outputs', path: '^src/outputs/' },
  { name: 'diagnostics', path: '^src/diagnostics/' },
  // The entries: the action's (main, post) and the small actions', which hand the driver registry on.
  { name: 'entries', path: '^src/(index|main|post)\\.ts$|^src/actions/|^src/drivers/index\\.ts$' }
]

// The drivers proper: loaded by the registry (drivers/index.ts) and by the entries alone.
const DRIVERS = '^src/drivers/(local|machine|aws|ec2)/'
const layer = (name) => LAYERS.find((entry) => entry.name === name).path

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle, type-only imports included: imports flow one way.',
      severity: 'error',
      from: {},
      to: { circular: true }
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports and that imports nothing is dead code (iam-policy.ts is data that docs/aws.md and a test read).',
      severity: 'error',
      from: { orphan: true, pathNot: ['^src/drivers/ec2/iam-policy\\.ts$'] },
      to: {}
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import of a module that does not exist.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true }
    },
    // One rule per layer: none imports a layer after it, nor a driver proper.
    ...LAYERS.slice(0, -1).map((entry, index) => ({
      name: `no-upward-from-${entry.name}`,
      comment: `${entry.name} imports only the layers before it (${
        LAYERS.slice(0, index)
          .map((below) => below.name)
          .join(', ') || 'none'
      }); core code never imports a driver`,
      severity: 'error',
      from: { path: entry.path },
      to: { path: [...LAYERS.slice(index + 1).map((above) => above.path), DRIVERS] }
    })),
    {
      name: 'drivers-below-the-entries',
      comment:
        'A driver makes nodes: it may use the contract and the stages that run on nodes, never what runs the stages (cluster, outputs, diagnostics, entries).',
      severity: 'error',
      from: { path: DRIVERS },
      to: { path: [layer('cluster'), layer('outputs'), layer('diagnostics'), layer('entries')] }
    },
    {
      name: 'drivers-apart',
      comment: 'The drivers (local, docker-machine, aws) do not use each other; both EC2 drivers share ec2/.',
      severity: 'error',
      from: { path: '^src/drivers/(local|machine|aws)/' },
      to: { path: '^src/drivers/(local|machine|aws)/', pathNot: '^src/drivers/$1/' }
    },
    {
      name: 'ec2-shared',
      comment: 'ec2/ is the EC2 resources both EC2 drivers share: it uses neither, nor the local driver.',
      severity: 'error',
      from: { path: '^src/drivers/ec2/' },
      to: { path: '^src/drivers/(local|machine|aws)/' }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a circle of types is a circle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' }
  }
}
