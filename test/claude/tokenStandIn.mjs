// A local TLS stand-in for Anthropic's OAuth token endpoint (platform.claude.com/v1/oauth/token),
// run by node in a container on the test network. Refresh tokens rotate and are single-use.
// MODE=invalid_grant answers every refresh with invalid_grant. Every request is logged on stdout.
import { createServer } from 'node:https'
import { readFileSync } from 'node:fs'

const used = new Set()
let n = 0
createServer({ key: readFileSync(process.env.KEY), cert: readFileSync(process.env.CERT) }, (req, res) => {
  let body = ''
  req.on('data', (c) => (body += c))
  req.on('end', () => {
    console.log(`REQ ${req.method} ${req.headers.host} ${req.url.split('?')[0]}`)
    const json = (code, o) => {
      res.writeHead(code, { 'content-type': 'application/json' })
      res.end(JSON.stringify(o))
    }
    if (req.url.startsWith('/v1/oauth/token')) {
      let p = {}
      try {
        p = JSON.parse(body)
      } catch {
        p = Object.fromEntries(new URLSearchParams(body))
      }
      if (process.env.MODE === 'invalid_grant' || used.has(p.refresh_token))
        return json(400, { error: 'invalid_grant', error_description: 'Refresh token not found or invalid' })
      used.add(p.refresh_token)
      n += 1
      return json(200, {
        token_type: 'Bearer',
        access_token: `sk-ant-oat01-standin-access-${n}`,
        refresh_token: `sk-ant-ort01-standin-refresh-${n}`,
        expires_in: 28800,
        scope: 'user:inference user:profile',
      })
    }
    return json(404, { type: 'error', error: { type: 'not_found_error', message: 'stand-in' } })
  })
}).listen(443, () => console.log('LISTENING'))
