import { describe, expect, it } from 'vitest'
import { imageRefProblem } from '../../src/shared/imageRef'

describe("Docker's image reference grammar", () => {
  it.each([
    'debian',
    'debian:bookworm-slim',
    'library/debian:12',
    'clawker-webapp:latest',
    'registry.example.com/team/image:1.2',
    'localhost:5000/img',
    'ghcr.io/org/my_image__x.y-z:tag_1',
    'debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    '0123456789ab',
  ])('takes %j', (ref) => expect(imageRefProblem(ref)).toBeUndefined())

  it.each([
    ['ubuntu/', /not an image name/],
    ['./img', /not an image name/],
    ['../../etc/passwd', /not an image name/],
    ['../../127.0.0.1:9/x', /not an image name/],
    ['Ubuntu', /lowercase/],
    ['team/Image', /lowercase/],
    ['a b', /not an image name/],
    ['img:', /not an image name/],
    ['img:-tag', /not an image name/],
    ['', /Give an image name/],
    ['x'.repeat(256), /at most 255/],
  ])('refuses %j in words', (ref, why) => expect(imageRefProblem(ref)).toMatch(why))
})
