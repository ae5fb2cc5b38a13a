/**
 * The environment variables both entries (the Electron shell and the browser
 * mode) turn into AppOptions. The core reads no environment of its own: tests
 * that run it in-process pass AppOptions; tests that start an entry set these.
 */
import type { AppOptions } from './core/app'

const whole = (value: string | undefined): number | undefined => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined)

export function appOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AppOptions {
  const keeper = whole(env.CLAWKER_KEEPER_INTERVAL)
  const failAfter = whole(env.CLAWKER_TEST_WIZARD_FAIL_AFTER)
  return {
    ...(env.CLAWKER_NAME_PREFIX ? { prefix: env.CLAWKER_NAME_PREFIX } : {}),
    ...(env.CLAWKER_DATA_DIR ? { dataDir: env.CLAWKER_DATA_DIR } : {}),
    ...(env.CLAWKER_NETWORK_MODE ? { networkMode: env.CLAWKER_NETWORK_MODE } : {}),
    ...(keeper === undefined ? {} : { keeperIntervalSeconds: keeper }),
    // Test hook: the wizard stops as if killed after this many volumes (the crash-safety test).
    ...(failAfter === undefined ? {} : { wizardFailAfter: failAfter }),
    ...(env.npm_package_version ? { appVersion: env.npm_package_version } : {}),
  }
}
