import { describe, expect, it } from 'vitest'
import { destinationOf, isLoopbackAddress, isLoopbackHost } from '../../../src/main/egress/address'
import { normalizeApprovalHost } from '../../../src/main/egress/policy'

describe('loopback addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['128.0.0.1', false],
    ['localhost', false], // a name is never trusted without resolving it
    ['127.0.0.1.nip.io', false],
  ])('%s → %s', (a, expected) => {
    expect(isLoopbackAddress(a)).toBe(expected)
  })

  it('display helper treats localhost as loopback', () => {
    expect(isLoopbackHost('localhost')).toBe(true)
    expect(isLoopbackHost('llm.hospital.test')).toBe(false)
  })
})

describe('destinations', () => {
  it('normalizes host and default ports', () => {
    expect(destinationOf('http://LOCALHOST:11434/api')).toMatchObject({
      host: 'localhost',
      port: 11434,
      label: 'localhost:11434',
    })
    expect(destinationOf('https://llm.hospital.test/v1')).toMatchObject({ port: 443 })
    expect(destinationOf('http://[::1]:8000/')).toMatchObject({ host: '::1', label: '[::1]:8000' })
    expect(destinationOf('http://2130706433/')).toMatchObject({ host: '127.0.0.1' })
  })

  it('approval hosts are names or IPs only', () => {
    expect(normalizeApprovalHost('LLM.Hospital.test.').host).toBe('llm.hospital.test')
    expect(normalizeApprovalHost('[fd00::5]').host).toBe('fd00::5')
    expect(() => normalizeApprovalHost('http://x/y')).toThrow(/not a host name or IP address/)
    expect(() => normalizeApprovalHost('a b')).toThrow()
  })
})
