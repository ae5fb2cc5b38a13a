import { describe, expect, it } from 'vitest'
import { openableUrl } from '../../src/shared/links'

describe('links that may open', () => {
  it.each(['https://claude.ai/oauth/authorize?code=1', 'http://localhost:3000/x'])('opens %s', (u) => expect(openableUrl(u)).toBe(new URL(u).href))
  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>x</script>', 'vscode://x', 'https://user:pw@example.com/', 'not a url', ''])(
    'never opens %j',
    (u) => expect(openableUrl(u)).toBeUndefined(),
  )
})
