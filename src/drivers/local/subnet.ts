// IPv4 arithmetic for choosing a cluster's /24: pure functions, no I/O.

/** RFC 2544's benchmarking range, 198.18.0.0/15: nobody routes it, so a /24 of it is almost always free. */
export const SUBNET_POOL = { first: [198, 18], size: 512 } as const

/** The pool's /24s, starting at `start` and wrapping around, so that each cluster tries its own first. */
export function subnetCandidates(start: number): string[] {
  return Array.from({ length: SUBNET_POOL.size }, (_, step) => subnetAt((start + step) % SUBNET_POOL.size))
}

function subnetAt(index: number): string {
  const [a, b] = SUBNET_POOL.first
  return `${a}.${b + (index >> 8)}.${index & 255}.0/24`
}

/** Host `host` of a /24: 1 is the bridge, 2 and up the nodes. */
export const hostAddress = (subnet: string, host: number): string => subnet.replace(/\.0\/24$/, `.${host}`)

function toNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0)
}

export function overlaps(a: string, b: string): boolean {
  const [addressA, bitsA] = a.split('/')
  const [addressB, bitsB] = b.split('/')
  const hostBits = 32 - Math.min(Number(bitsA), Number(bitsB))
  return Math.floor(toNumber(addressA) / 2 ** hostBits) === Math.floor(toNumber(addressB) / 2 ** hostBits)
}
