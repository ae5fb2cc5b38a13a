import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { App } from './App'
import type { EarlyAnswers } from './early'
import { prefetchEarly } from './queries'
import './styles.css'

/** Renders the app, its queries started with what the first script asked for. */
export function boot(early: EarlyAnswers): void {
  const queryClient = new QueryClient({
    defaultOptions: {
      // Pushed events invalidate queries; nothing is refetched on a timer.
      queries: { staleTime: Infinity, retry: false, refetchOnWindowFocus: false },
    },
  })
  prefetchEarly(queryClient, early)
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  )
}
