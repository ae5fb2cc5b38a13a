// A local TLS stand-in for Anthropic's OAuth endpoints, as Claude Code 2.1.331 calls them (the
// paths and shapes from the binary's strings), run by node in a container on the test network:
//   GET  api.anthropic.com/api/hello, platform.claude.com/v1/oauth/hello   the first start's check
//   POST platform.claude.com/v1/oauth/token   refresh_token (rotating, single-use) and
//                                             authorization_code (the code CODE only) grants
//   GET  api.anthropic.com/api/oauth/profile  the account and its organization (a Max plan)
//   GET  api.anthropic.com/api/oauth/claude_cli/roles
// MODE=invalid_grant answers every refresh with invalid_grant. Every request is logged on stdout
// as `REQ <method> <host> <path>` (never a token: only paths, and a grant's type).
import { createServer } from 'node:https'
import { readFileSync } from 'node:fs'

const used = new Set()
let n = 0
const ACCOUNT = { uuid: '00000000-0000-4000-8000-0000000000a1', email_address: 'standin@example.com' }
const ORG = { uuid: '00000000-0000-4000-8000-0000000000b1', name: 'Stand-in' }

createServer({ key: readFileSync(process.env.KEY), cert: readFileSync(process.env.CERT) }, (req, res) => {
  let body = ''
  req.on('data', (c) => (body += c))
  req.on('end', () => {
    const path = req.url.split('?')[0]
    const json = (code, o) => {
      res.writeHead(code, { 'content-type': 'application/json' })
      res.end(JSON.stringify(o))
    }
    const tokens = () => {
      n += 1
      return {
        token_type: 'Bearer',
        access_token: `sk-ant-oat01-standin-access-${n}`,
        refresh_token: `sk-ant-ort01-standin-refresh-${n}`,
        expires_in: 28800,
        scope: 'user:inference user:profile user:sessions:claude_code user:mcp_servers user:file_upload',
        account: ACCOUNT,
        organization: ORG,
      }
    }
    if (path === '/v1/oauth/token' && req.method === 'POST') {
      let p = {}
      try {
        p = JSON.parse(body)
      } catch {
        p = Object.fromEntries(new URLSearchParams(body))
      }
      console.log(`REQ ${req.method} ${req.headers.host} ${path} grant_type=${p.grant_type}`)
      if (p.grant_type === 'authorization_code') {
        if (!process.env.CODE || p.code !== process.env.CODE || !p.code_verifier)
          return json(400, { error: 'invalid_grant', error_description: 'Invalid authorization code' })
        return json(200, tokens())
      }
      if (process.env.MODE === 'invalid_grant' || used.has(p.refresh_token))
        return json(400, { error: 'invalid_grant', error_description: 'Refresh token not found or invalid' })
      used.add(p.refresh_token)
      return json(200, tokens())
    }
    console.log(`REQ ${req.method} ${req.headers.host} ${path}`)
    // The first start's connectivity check (HEAD, then GET): any 200.
    if (path === '/api/hello' || path === '/v1/oauth/hello') return json(200, { message: 'hello' })
    if (path === '/api/oauth/profile')
      return json(200, {
        account: { uuid: ACCOUNT.uuid, email: ACCOUNT.email_address, display_name: 'Stand-in', full_name: 'Stand In', created_at: '2026-01-01T00:00:00Z' },
        organization: { uuid: ORG.uuid, name: ORG.name, organization_type: 'claude_max', rate_limit_tier: 'default_claude_max_20x', billing_type: 'stripe_subscription', has_extra_usage_enabled: false },
      })
    if (path === '/api/oauth/claude_cli/roles') return json(200, { organization_role: 'admin', workspace_role: null, organization_name: ORG.name })
    return json(404, { type: 'error', error: { type: 'not_found_error', message: 'stand-in' } })
  })
}).listen(443, () => console.log('LISTENING'))
