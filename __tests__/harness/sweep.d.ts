export function parseFileCommands(text: string): Record<string, string>
export function removeTestClusters(testTmp: string, entry: string): Array<{ name: string; code: number | null; output: string }>
