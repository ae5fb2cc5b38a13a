/**
 * A failed pull or build in the user's words: what happened and what to do. The engine's own text
 * goes in `detail`, which the form shows one click away, never as the message.
 */
export interface Explained {
  message: string
  detail: string
}

const NETWORK = /no such host|dial tcp|i\/o timeout|network is unreachable|connection refused|TLS handshake timeout|Temporary failure (in name )?resolution|Could not resolve host|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET|curl: \((6|7|28)\)/i
const TLS = /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_UNTRUSTED|self[- ]signed certificate|certificate verify failed|x509: certificate|SSL certificate problem|curl: \(60\)/i
const NO_SHELL = /unable to find user|no matching entries in passwd file|stat \/bin\/sh: no such file|\/bin\/sh: no such file or directory|exec: "\/bin\/sh"/i
const LOWERCASE = /repository name must be lowercase|invalid reference format/i
const NO_IMAGE = /pull access denied|repository does not exist|manifest unknown|manifest for .* not found|unauthorized|authentication required/i
// A step's stderr comes wrapped in colour codes.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g')

/** The base image could not be pulled. */
export function explainPullFailure(base: string, raw: string): Explained {
  if (LOWERCASE.test(raw)) return { message: `${base} is not an image name the engine accepts: image names are lowercase. Check the base image's name.`, detail: raw }
  if (NO_IMAGE.test(raw) && !NETWORK.test(raw)) {
    return { message: `${base} is not on this engine, and its registry has no such image or wants a login: check the name (docker login for a private one), or pick a local base image`, detail: raw }
  }
  return { message: `${base} is not on this engine and cannot be pulled: pick a local base image, or check the engine's network`, detail: raw }
}

/** The template's step that was running, as the classic builder names it ("Step 2/9 : RUN set -e; …"), shortened. */
export function failedStep(log: string[]): string | undefined {
  for (let i = log.length - 1; i >= 0; i--) {
    const m = /^Step (\d+\/\d+) : (.*)$/.exec(log[i]!.replace(ANSI, '').trim())
    if (m) {
      const what = m[2]!.replace(/\s+/g, ' ')
      return `step ${m[1]}, ${what.length > 48 ? `${what.slice(0, 47)}…` : what}`
    }
  }
  return undefined
}

/** The template's own last word on why it stopped ("clawker: …"), if it said one. */
export function templateSaid(log: string[]): string | undefined {
  for (let i = log.length - 1; i >= 0; i--) {
    const plain = log[i]!.replace(ANSI, '').trim()
    if (/^clawker: (?!fetching|warning)/.test(plain)) return plain.slice('clawker: '.length)
  }
  return undefined
}

/** The build failed: `raw` is the engine's error, `log` the build's output so far. */
export function explainBuildFailure(o: { image: string; base: string; raw: string; log: string[] }): Explained {
  const detail = o.raw
  const recent = [o.raw, ...o.log.slice(-60)].join('\n').replace(ANSI, '')
  if (LOWERCASE.test(o.raw)) {
    return { message: `${o.image} is not an image name the engine accepts: image names are lowercase. Use a lowercase project name.`, detail }
  }
  if (NO_SHELL.test(recent)) {
    return {
      message: `The base image ${o.base} has no shell (/bin/sh) or no user list (/etc/passwd), so the template's steps cannot run in it: pick a base with a POSIX shell, such as debian:bookworm-slim or alpine.`,
      detail,
    }
  }
  const said = templateSaid(o.log)
  const step = failedStep(o.log)
  let message = `Building ${o.image} failed: ${said ?? (step ? 'a step of the template did not succeed' : 'the engine stopped the build')}`
  if (step) message += ` (${step})`
  if (TLS.test(recent) && !/CA certificate/i.test(said ?? '')) {
    message += ". The step's TLS connection was refused, as behind a TLS-inspecting proxy: give the proxy's CA certificate in the CA certificate field"
  } else if (NETWORK.test(recent) && !/network/i.test(said ?? '')) {
    message += ". The step could not reach the network: try host in the Build network field, or check the engine's DNS and proxy"
  }
  return { message: `${message}.`, detail }
}
