import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chownSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { localNames } from '../../src/drivers/local/names.js'
import { askOverOverlay, docker, runningTasks } from '../harness/docker.js'
import { Job, type StepResult } from '../harness/action.js'
import { leftovers, NOTHING_LEFT, readIpForward, removeTestClusters } from '../harness/host.js'
import { httpGet } from '../harness/http.js'
import { startOutsideHost } from '../harness/outside-host.js'
import { firewallRules, startRunnerEngine, type RunnerEngine } from '../harness/runner-engine.js'
import { runnerUser } from '../harness/runner-user.js'

// The runner's own Docker as systemd runs it on GitHub's runners: in the host's network namespace,
// with docker0, its iptables chains (DOCKER-USER, DOCKER-FORWARD on Docker 28 and later) and a
// FORWARD policy of DROP. A cluster forms beside it, with images and a stack, and post leaves the
// engine's rules exactly as they were.

const IMAGE = 'fw/app:1'
type NodeOutput = { name: string; ip: string; dockerHost: string; id: string }

afterAll(() => {
  removeTestClusters()
})

describe("a cluster beside the runner's Docker with its firewall on", () => {
  const job = new Job()
  const name = 'fw-host'
  let engine: RunnerEngine
  let rulesBefore: string[]
  let ipForwardBefore: string
  let main: StepResult
  let post: StepResult | undefined
  let nodes: NodeOutput[] = []

  beforeAll(async () => {
    engine = await startRunnerEngine('fw-host', { hostFirewall: true })
    engine.buildImage(IMAGE)
    rulesBefore = firewallRules()
    ipForwardBefore = readIpForward()
    const stackDir = path.join(job.dir, 'fw')
    mkdirSync(stackDir)
    writeFileSync(
      path.join(stackDir, 'stack.yml'),
      `services:
  web:
    image: ${IMAGE}
    command: ["sh", "-c", "hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
    networks: [app]
    ports: [{ target: 80, published: 18081, mode: host }]
    deploy: { endpoint_mode: dnsrr }
  agent:
    image: ${IMAGE}
    command: ["sleep", "3600"]
    networks: [app]
    deploy: { mode: global, endpoint_mode: dnsrr }
networks:
  app: { driver: overlay }
`
    )
    chownSync(stackDir, runnerUser()!.uid, runnerUser()!.gid)
    main = await job.run('main', { inputs: { name, workers: '2', images: IMAGE, stack: 'fw/stack.yml' }, env: engine.env })
    nodes = main.outputs.nodes ? (JSON.parse(main.outputs.nodes) as NodeOutput[]) : []
  })
  afterAll(async () => {
    post ??= await job.run('post', { state: main.state })
    await engine?.stop()
  })

  it("forms with the runner's engine holding docker0, its chains and FORWARD DROP", () => {
    expect(main.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(main.code).toBe(0)
    expect(rulesBefore).toContain(':FORWARD DROP')
    expect(rulesBefore).toContain(':DOCKER-USER -')
    expect(rulesBefore.some((rule) => rule.includes('-o docker0'))).toBe(true)
  })

  it('carries overlay traffic between tasks on different nodes', async () => {
    const [web] = await runningTasks(main.env, 'fw_web', 'fw_app', 1)
    const agents = await runningTasks(main.env, 'fw_agent', 'fw_app', 3)
    const from = agents.find((agent) => agent.nodeId !== web.nodeId)!
    const answer = await askOverOverlay(main.env, nodes, from, web)
    expect(answer).toMatch(/^HTTP\/1\.[01] 200 OK/)
    expect(answer.split('\n').pop()).toBe(web.container.slice(0, 12))
  })

  it('NATs the nodes to an address beyond the runner', async () => {
    const outside = await startOutsideHost()
    try {
      const [agent] = await runningTasks(main.env, 'fw_agent', 'fw_app', 3)
      const host = nodes.find((node) => node.id === agent.nodeId)!.dockerHost
      const answer = await docker({ ...main.env, DOCKER_HOST: host }, [
        'exec',
        agent.container,
        'sh',
        '-c',
        `nc -w 5 ${outside.ip} ${outside.port} </dev/null`
      ])
      expect(answer).toBe(outside.runnerIp)
    } finally {
      outside.stop()
    }
  })

  it('answers the runner on a port published in host mode', async () => {
    const [web] = await runningTasks(main.env, 'fw_web', 'fw_app', 1)
    const node = nodes.find((candidate) => candidate.id === web.nodeId)!
    expect((await httpGet(`${node.ip}:18081`)).trim()).toBe(web.container.slice(0, 12))
  })

  it("post leaves the engine's firewall rules exactly as they were, rule by rule, and nothing of the cluster", async () => {
    post = await job.run('post', { state: main.state })
    expect(post.code).toBe(0)
    expect(firewallRules()).toEqual(rulesBefore)
    expect(leftovers(localNames(name, 0).bridge, path.join(job.runnerTemp, 'setup-swarm', name), { ipForward: ipForwardBefore })).toEqual(
      NOTHING_LEFT
    )
  })
})
