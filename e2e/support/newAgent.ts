/** The New agent form, filled as a user would; every agent test goes through it. */
import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, type Page } from '@playwright/test'
import { agentImage } from './docker'

/** A workspace folder the agent (uid 1001) can read. */
export function workspaceFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clawker-e2e-ws-'))
  chmodSync(dir, 0o755)
  return dir
}

export interface NewAgentFields {
  project: string
  agent?: string
  workspace?: string
  image?: string
  /** Defaults to `sh`: the busybox agent image has no claude. */
  command?: string
}

export async function fillNewAgent(page: Page, f: NewAgentFields) {
  await page.getByRole('button', { name: 'New agent', exact: true }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New agent' })
  await dialog.getByLabel('Project').fill(f.project)
  if (f.agent !== undefined) await dialog.getByLabel('Agent name').fill(f.agent)
  await dialog.getByLabel('Workspace folder').fill(f.workspace ?? workspaceFolder())
  await dialog.getByLabel('Image').fill(f.image ?? agentImage())
  await dialog.getByLabel('Command (optional)').fill(f.command ?? 'sh')
  return dialog
}

/** Fills the form, creates, and waits for the form to close. */
export async function createAgentThroughForm(page: Page, f: NewAgentFields): Promise<void> {
  const dialog = await fillNewAgent(page, f)
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog).toBeHidden()
}
