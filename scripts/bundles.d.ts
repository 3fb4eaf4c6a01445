export const BUNDLES: Array<{ entry: string; out: string }>
