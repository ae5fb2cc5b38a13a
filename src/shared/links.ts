/**
 * Links in terminals (Claude Code prints its login URL there): only http and https
 * ever open, in the user's browser, never inside the app. The main process checks
 * again before Electron's shell opens one.
 */
export function openableUrl(text: string): string | undefined {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    return undefined
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password ? url.href : undefined
}
