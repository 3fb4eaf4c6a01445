import { describe, expect, it } from '@jest/globals'
import { adminCidrs, runnerPublicAddress } from '../../../src/drivers/ec2/runner-address.js'

type Answer = string | Error | ((signal: AbortSignal) => Promise<Response>)

/** A fetch that answers each service from `answers`, recording what was asked. */
function fakeFetch(answers: Record<string, Answer>) {
  const asked: string[] = []
  const get = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString()
    asked.push(url)
    const answer = answers[url]
    if (answer instanceof Error) throw answer
    if (typeof answer === 'function') return answer(init!.signal!)
    return new Response(answer ?? '', { status: answer === undefined ? 404 : 200 })
  }
  return { fetch: get, asked }
}

describe('the runner address', () => {
  it('is the IPv4 address checkip answers, as a /32', async () => {
    const { fetch, asked } = fakeFetch({ 'https://checkip.amazonaws.com': '203.0.113.7\n' })
    expect(await runnerPublicAddress({ fetch })).toBe('203.0.113.7')
    expect(await adminCidrs([], { fetch })).toEqual(['203.0.113.7/32'])
    expect(asked).toEqual(['https://checkip.amazonaws.com', 'https://checkip.amazonaws.com'])
  })

  it('is not looked up when allowed-cidrs are given', async () => {
    const { fetch, asked } = fakeFetch({})
    expect(await adminCidrs(['198.51.100.0/24'], { fetch })).toEqual(['198.51.100.0/24'])
    expect(asked).toEqual([])
  })

  it('asks the next service when one fails', async () => {
    const { fetch } = fakeFetch({ 'https://checkip.amazonaws.com': new Error('getaddrinfo ENOTFOUND'), 'https://api.ipify.org': '198.51.100.9' })
    expect(await runnerPublicAddress({ fetch })).toBe('198.51.100.9')
  })

  it('gives up within the bound and says to set allowed-cidrs', async () => {
    const hang = (signal: AbortSignal) => new Promise<Response>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))
    const { fetch } = fakeFetch({ 'https://checkip.amazonaws.com': hang, 'https://api.ipify.org': '<html>blocked</html>' })
    const started = Date.now()
    const failure = runnerPublicAddress({ fetch, timeoutMs: 50 })
    await expect(failure).rejects.toThrow(
      /^could not find the runner's public IPv4 address \(https:\/\/checkip\.amazonaws\.com: .*; https:\/\/api\.ipify\.org: answered "<html>blocked<\/html>", not an IPv4 address\); set the input `allowed-cidrs`/
    )
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('refuses an answer that is not IPv4, and a failed HTTP status', async () => {
    const { fetch } = fakeFetch({ 'https://checkip.amazonaws.com': '2001:db8::1' })
    await expect(runnerPublicAddress({ fetch, services: ['https://checkip.amazonaws.com'] })).rejects.toThrow(
      'answered "2001:db8::1", not an IPv4 address'
    )
    await expect(runnerPublicAddress({ fetch, services: ['https://nowhere.example'] })).rejects.toThrow('https://nowhere.example: HTTP 404')
  })
})
