import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { pickTransport } from './api/pick-transport';
import { createApi } from './api/transport';
import { createAppStore } from './store/app-store';
import { AppStoreProvider } from './store/store-context';
import './styles/theme.css';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

const store = createAppStore(createApi(pickTransport()));

createRoot(root).render(
  <StrictMode>
    <AppStoreProvider store={store}>
      <App />
    </AppStoreProvider>
  </StrictMode>,
);
