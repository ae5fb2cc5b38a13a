import { describe, expect, it } from 'vitest'
import { appOptionsFromEnv } from '../../src/main/entryOptions'

describe('the environment the entries read', () => {
  it('turns the variables into AppOptions', () => {
    expect(
      appOptionsFromEnv({
        CLAWKER_NAME_PREFIX: 'clawkertest',
        CLAWKER_DATA_DIR: '/tmp/d',
        CLAWKER_NETWORK_MODE: 'none',
        CLAWKER_KEEPER_INTERVAL: '0',
        CLAWKER_TEST_WIZARD_FAIL_AFTER: '1',
        npm_package_version: '1.2.3',
      }),
    ).toEqual({ prefix: 'clawkertest', dataDir: '/tmp/d', networkMode: 'none', keeperIntervalSeconds: 0, wizardFailAfter: 1, appVersion: '1.2.3' })
  })

  it('leaves out what is unset or not a whole number', () => {
    expect(appOptionsFromEnv({ CLAWKER_KEEPER_INTERVAL: '2s', CLAWKER_TEST_WIZARD_FAIL_AFTER: '-1' })).toEqual({})
  })
})
