import { request } from 'node:http'
import { Duplex, PassThrough } from 'node:stream'
import type { ClientChannel } from 'ssh2'
import { describe, expect, it } from 'vitest'
import { dialSocket } from '../../src/main/docker/sshTransport'

/**
 * A stand-in for an ssh2 exec channel running dial-stdio: whatever the request writes, it
 * answers with `answer` (the remote's side), in the order OpenSSH may use.
 */
function channel(answer: (ch: Duplex & { stderr: PassThrough }) => void): ClientChannel {
  let answered = false
  const ch = new Duplex({
    read() {},
    write(_chunk, _enc, done) {
      if (!answered) setImmediate(() => answer(ch))
      answered = true
      done()
    },
  }) as Duplex & { stderr: PassThrough }
  ch.stderr = new PassThrough()
  return ch as unknown as ClientChannel
}

/** A GET over the channel: the response's status and body, or the request's error. */
function get(ch: ClientChannel): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ path: '/_ping', createConnection: () => dialSocket(ch) }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve(`${res.statusCode} ${body}`))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('a dial-stdio channel as the http client sees it', () => {
  it("fails with the remote's words when the output ends before the exit status (OpenSSH's order)", async () => {
    const ch = channel((c) => {
      c.stderr.write('Cannot connect to the Docker daemon at unix:///nowhere.sock\n')
      c.push(null)
      setTimeout(() => c.emit('exit', 1), 50)
    })
    await expect(get(ch)).rejects.toThrow(/^docker system dial-stdio on the engine's host failed \(exit 1\): Cannot connect .*nowhere\.sock$/)
  })

  it("fails with the remote's words when the exit status comes first, too", async () => {
    const ch = channel((c) => {
      c.stderr.write('docker: not found\n')
      c.emit('exit', 127)
      c.push(null)
    })
    await expect(get(ch)).rejects.toThrow(/failed \(exit 127\): docker: not found$/)
  })

  it('hands a whole answer over, and ends it, when dial-stdio exits 0', async () => {
    const ch = channel((c) => {
      c.push('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK')
      c.push(null)
      setTimeout(() => c.emit('exit', 0), 20)
    })
    await expect(get(ch)).resolves.toBe('200 OK')
  })

  it('lets the end through after a second when no exit status ever comes', async () => {
    const ch = channel((c) => {
      c.stderr.write('said something\n')
      c.push(null)
    })
    const t0 = Date.now()
    await expect(get(ch)).rejects.toThrow('socket hang up')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900)
  })
})
