export const BUNDLES: Array<{ entry: string; out: string }>
export function buildAll(outDir: string): Promise<void>
