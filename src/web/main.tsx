import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/queries';
import { App } from './App';
import './i18n';
import { ReauthPrompt } from './components/ReauthPrompt';
import { SessionWatcher } from './session';
import './styles.css';

const queryClient = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionWatcher />
      <App />
      <ReauthPrompt />
    </QueryClientProvider>
  </StrictMode>,
);
