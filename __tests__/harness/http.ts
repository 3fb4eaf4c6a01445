import { get } from 'node:http'

/** The body a plain HTTP server answers at `address` (host:port), bounded at 5 s. */
export const httpGet = (address: string) =>
  new Promise<string>((resolve, reject) => {
    const request = get(`http://${address}/`, { timeout: 5000 }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve(body))
    })
    request.on('timeout', () => request.destroy(new Error(`no answer from ${address} within 5 s`)))
    request.on('error', reject)
  })
