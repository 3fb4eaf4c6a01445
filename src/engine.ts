import { Agent, request } from 'node:https'

export interface EngineTls {
  ca: string
  cert: string
  key: string
}

export class EngineError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message)
  }
}

/** Docker's port for the API over TLS. */
export const ENGINE_PORT = 2376
const REQUEST_TIMEOUT_MS = 10_000

/** A Docker Engine API client for one node, over mutual TLS (`tcp://ip:port`). */
export class Engine {
  private readonly url: URL
  private readonly agent: Agent

  constructor(
    readonly dockerHost: string,
    tls: EngineTls
  ) {
    this.url = new URL(dockerHost.replace(/^tcp:/, 'https:'))
    this.agent = new Agent({ keepAlive: true, maxSockets: 4, ca: tls.ca, cert: tls.cert, key: tls.key })
  }

  async ping(timeoutMs = 2000): Promise<boolean> {
    return (await this.call<string>('GET', '/_ping', undefined, timeoutMs)) === 'OK'
  }

  info(): Promise<EngineInfo> {
    return this.call('GET', '/info')
  }

  swarm(): Promise<SwarmInspect> {
    return this.call('GET', '/swarm')
  }

  join(body: SwarmJoin, timeoutMs: number): Promise<unknown> {
    return this.call('POST', '/swarm/join', body, timeoutMs)
  }

  leave(timeoutMs: number): Promise<unknown> {
    return this.call('POST', '/swarm/leave?force=true', undefined, timeoutMs)
  }

  nodes(): Promise<SwarmNode[]> {
    return this.call('GET', '/nodes')
  }

  close(): void {
    this.agent.destroy()
  }

  private call<T>(method: string, path: string, body?: unknown, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port || ENGINE_PORT,
          method,
          path,
          agent: this.agent,
          headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {},
          timeout: timeoutMs
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (text += chunk))
          res.on('end', () => {
            const status = res.statusCode ?? 0
            if (status >= 400) {
              let message = text.trim()
              try {
                message = (JSON.parse(text) as { message?: string }).message ?? message
              } catch {
                // not JSON: keep the text
              }
              return reject(new EngineError(`${this.dockerHost} ${method} ${path}: ${message || `HTTP ${status}`}`, status))
            }
            if (!text || !(res.headers['content-type'] ?? '').includes('json')) return resolve(text as T)
            try {
              resolve(JSON.parse(text) as T)
            } catch {
              reject(new EngineError(`${this.dockerHost} ${method} ${path}: the answer is not JSON`))
            }
          })
        }
      )
      req.on('timeout', () => req.destroy(new EngineError(`${this.dockerHost} ${method} ${path}: no answer within ${timeoutMs / 1000} s`)))
      req.on('error', (error) =>
        reject(error instanceof EngineError ? error : new EngineError(`${this.dockerHost} ${method} ${path}: ${error.message}`))
      )
      req.end(payload)
    })
  }
}

export interface EngineInfo {
  Name: string
  ServerVersion: string
  Swarm: {
    NodeID: string
    LocalNodeState: string
    ControlAvailable: boolean
    RemoteManagers?: Array<{ NodeID: string; Addr: string }> | null
    /** Managers only. */
    Cluster?: { ID: string } | null
  }
}

export interface SwarmInspect {
  ID: string
  JoinTokens: { Worker: string; Manager: string }
}

export interface SwarmJoin {
  ListenAddr: string
  AdvertiseAddr: string
  RemoteAddrs: string[]
  JoinToken: string
}

export interface SwarmNode {
  ID: string
  Description: { Hostname: string }
  Spec: { Role: 'manager' | 'worker' }
  Status: { State: string; Addr: string }
  ManagerStatus?: { Reachability: string; Leader?: boolean }
}
