import { Agent, request, type RequestOptions } from 'node:https'
import type { IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import type { ImageInspect } from './image-identity.js'

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
  private closed = false

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

  /** Replaces the swarm's spec; `version` is the one the spec was read at (GET /swarm), as the API requires. */
  updateSwarm(version: number, spec: SwarmInspect['Spec']): Promise<unknown> {
    return this.call('POST', `/swarm/update?version=${version}`, spec)
  }

  join(body: SwarmJoin, timeoutMs: number): Promise<unknown> {
    return this.call('POST', '/swarm/join', body, timeoutMs)
  }

  leave(timeoutMs: number): Promise<unknown> {
    return this.call('POST', '/swarm/leave?force=true', undefined, timeoutMs)
  }

  nodes = (timeoutMs = REQUEST_TIMEOUT_MS): Promise<SwarmNode[]> => this.call('GET', '/nodes', undefined, timeoutMs)

  /** Replaces a node's spec (read at `version`, as the API requires): its availability, for the fault action. */
  updateNode = (id: string, version: number, spec: SwarmNode['Spec']): Promise<unknown> =>
    this.call('POST', `/nodes/${encodeURIComponent(id)}/update?version=${version}`, spec)

  /** The image as the engine describes it, or undefined when the engine does not have it. */
  async imageInspect(reference: string): Promise<ImageInspect | undefined> {
    try {
      return await this.call<ImageInspect>('GET', `/images/${encodeURIComponent(reference)}/json`)
    } catch (error) {
      if (error instanceof EngineError && error.status === 404) return undefined
      throw error
    }
  }

  /**
   * `docker load` of a tar stream (as `docker save` writes it). Bounded by `idleMs` without a byte
   * either way: a big load takes long, only a stalled one is an error. Not quiet: the engine's
   * progress messages while it unpacks after the last byte keep the connection from looking idle.
   */
  loadImages(tar: Readable, idleMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const fail = (message: string) => reject(new EngineError(`${this.dockerHost} POST /images/load: ${message}`))
      const req = request(
        this.options('POST', '/images/load?quiet=0', { 'Content-Type': 'application/x-tar', 'Transfer-Encoding': 'chunked' }, idleMs),
        (res) =>
          readBody(res, (status, text) => {
            if (status >= 400) return fail(errorMessage(text) || `HTTP ${status}`)
            // The answer is a stream of JSON messages; an error arrives as one of them, with status 200.
            const failed = text
              .split('\n')
              .filter(Boolean)
              .map((line) => {
                try {
                  return (JSON.parse(line) as { error?: string }).error
                } catch {
                  return undefined
                }
              })
              .find(Boolean)
            if (failed) fail(failed)
            else resolve()
          })
      )
      req.on('timeout', () => req.destroy(new Error(`stalled for ${idleMs / 1000} s`)))
      req.on('error', (error) => fail(error.message))
      tar.on('error', (error) => req.destroy(error))
      tar.pipe(req)
    })
  }

  /** Services, with their running and desired task counts (`ServiceStatus`, API 1.41+). */
  services(filters: Record<string, string[]> = {}): Promise<SwarmService[]> {
    return this.call('GET', `/services?status=true&filters=${encodeURIComponent(JSON.stringify(filters))}`)
  }

  tasks(filters: Record<string, string[]> = {}): Promise<SwarmTask[]> {
    return this.call('GET', `/tasks?filters=${encodeURIComponent(JSON.stringify(filters))}`)
  }

  /** Ends the client: its sockets close, and every later request fails at once (a destroyed agent alone would open new ones). */
  close(): void {
    this.closed = true
    this.agent.destroy()
  }

  get isClosed(): boolean {
    return this.closed
  }

  private options(method: string, path: string, headers: Record<string, string | number>, timeoutMs: number): RequestOptions {
    if (this.closed) throw new EngineError(`${this.dockerHost} ${method} ${path}: the client was closed`)
    return { host: this.url.hostname, port: this.url.port || ENGINE_PORT, method, path, agent: this.agent, headers, timeout: timeoutMs }
  }

  private call<T>(method: string, path: string, body?: unknown, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    return new Promise<T>((resolve, reject) => {
      const headers: Record<string, string | number> = payload
        ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
        : {}
      const req = request(this.options(method, path, headers, timeoutMs), (res) =>
        readBody(res, (status, text) => {
          if (status >= 400) return reject(new EngineError(`${this.dockerHost} ${method} ${path}: ${errorMessage(text) || `HTTP ${status}`}`, status))
          if (!text || !(res.headers['content-type'] ?? '').includes('json')) return resolve(text as T)
          try {
            resolve(JSON.parse(text) as T)
          } catch {
            reject(new EngineError(`${this.dockerHost} ${method} ${path}: the answer is not JSON`))
          }
        })
      )
      req.on('timeout', () => req.destroy(new EngineError(`${this.dockerHost} ${method} ${path}: no answer within ${timeoutMs / 1000} s`)))
      req.on('error', (error) =>
        reject(error instanceof EngineError ? error : new EngineError(`${this.dockerHost} ${method} ${path}: ${error.message}`))
      )
      req.end(payload)
    })
  }
}

function readBody(res: IncomingMessage, done: (status: number, text: string) => void): void {
  let text = ''
  res.setEncoding('utf8')
  res.on('data', (chunk: string) => (text += chunk))
  res.on('end', () => done(res.statusCode ?? 0, text))
}

/** The engine's own words from an error answer (JSON `message`), else the text. */
function errorMessage(text: string): string {
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text.trim()
  } catch {
    return text.trim()
  }
}

export interface EngineInfo {
  Name: string
  ServerVersion: string
  /** The storage driver (overlay2, …). */
  Driver: string
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
  Version: { Index: number }
  /** Passed back whole to /swarm/update: only Labels is read here. */
  Spec: { Labels?: Record<string, string> | null } & Record<string, unknown>
}

export interface SwarmJoin {
  ListenAddr: string
  AdvertiseAddr: string
  RemoteAddrs: string[]
  JoinToken: string
}

export interface SwarmNode {
  ID: string
  Version?: { Index: number }
  Description: { Hostname: string }
  Spec: { Role: 'manager' | 'worker'; Availability?: 'active' | 'pause' | 'drain' } & Record<string, unknown>
  Status: { State: string; Addr: string }
  ManagerStatus?: { Reachability: string; Leader?: boolean }
}

export interface SwarmService {
  ID: string
  Spec: {
    Name: string
    Labels?: Record<string, string>
    Mode: { Replicated?: { Replicas?: number }; Global?: object; ReplicatedJob?: { TotalCompletions?: number }; GlobalJob?: object }
    TaskTemplate: { ContainerSpec?: { Image?: string } & Record<string, unknown> }
    EndpointSpec?: { Mode?: string; Ports?: ServicePort[] }
  }
  Endpoint?: { Ports?: ServicePort[] }
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number; CompletedTasks?: number }
}

export interface ServicePort {
  Protocol?: string
  TargetPort?: number
  PublishedPort?: number
  PublishMode?: 'ingress' | 'host'
}

export interface SwarmTask {
  ID: string
  ServiceID: string
  NodeID?: string
  Slot?: number
  DesiredState: string
  Status: { State: string; Timestamp?: string; Err?: string; Message?: string }
  /** The service's task template when the task was made. */
  Spec?: { ContainerSpec?: unknown }
}
