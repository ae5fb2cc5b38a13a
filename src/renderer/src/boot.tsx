import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { App } from './App'
import { prefetchAgents } from './queries'
import './styles.css'

const queryClient = new QueryClient({
  defaultOptions: {
    // Pushed events invalidate queries; nothing is refetched on a timer.
    queries: { staleTime: Infinity, retry: false, refetchOnWindowFocus: false },
  },
})

prefetchAgents(queryClient)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
