// Every bundle in dist/: one per action of this repository, all built by `npm run build`.
// The unit test that checks dist/ is fresh builds the same list elsewhere and compares.
export const BUNDLES = [
  { entry: 'src/index.ts', out: 'dist' },
  { entry: 'src/diagnose.ts', out: 'dist/diagnose' },
  { entry: 'src/actions/destroy.ts', out: 'dist/destroy' },
  { entry: 'src/actions/sweep.ts', out: 'dist/sweep' },
  { entry: 'src/actions/build.ts', out: 'dist/build' }
]
