/**
 * Docker's image reference grammar (distribution/reference), checked before any
 * request: a name with path syntax (`ubuntu/`, `./img`, `../../x`) makes the engine
 * answer with a redirect, and is never a valid reference anyway.
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component { "/" path-component }
 *   domain    := host [ ":" port ]      (a first component with a dot, a colon, or "localhost")
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" hex{32,}
 * An image id (a hex prefix of 12 or more, or sha256:<64 hex>) is accepted too.
 */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`
const TAG = '[\\w][\\w.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}'
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`)
const IMAGE_ID = /^(?:sha256:[a-f0-9]{64}|[a-f0-9]{12,64})$/

/** Why a string is not an image reference, in words, or undefined when it is one. */
export function imageRefProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'Give an image name, like debian:bookworm-slim.'
  if (ref.length > 255) return 'An image name is at most 255 characters.'
  if (IMAGE_ID.test(ref)) return undefined
  const m = REFERENCE.exec(ref)
  if (!m) {
    if (/[A-Z]/.test(ref.split('@')[0]!.split(':')[0]!.split('/').slice(-1)[0] ?? '')) return `"${ref}" is not an image name: repository names are lowercase.`
    return `"${ref}" is not an image name: use a name like debian:bookworm-slim or registry.example.com/team/image:tag.`
  }
  // A first component without a dot, colon or "localhost" is a path component, so it must be lowercase.
  const domain = m[1]
  if (domain && !/[.:]|^localhost$/.test(domain) && domain !== domain.toLowerCase()) return `"${ref}" is not an image name: repository names are lowercase.`
  return undefined
}
