import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Before the screens (./app), whose own rules refine these shared boxes.
import './styles/boxes.css';
import { App } from './app';
import type { Api } from './api/transport';
import { applyLanguage, untilLanguageKnown } from './i18n/language';
import { createAppStore } from './store/app-store';
import type { StartReads } from './store/start-reads';
import { AppStoreProvider } from './store/store-context';
import './styles/theme.css';
import './styles/app.css';
import './styles/density.css';
import './styles/early.css';

/**
 * Builds the store on the reads main.tsx started and shows the app. The UI language is the
 * profile's language setting, which comes with the settings the key's hydrate reads: the first
 * paint waits for it (1 s at most; else the browser's language until the settings arrive), so the
 * first screen is already in the admin's language, with the catalogue's first rows when they are
 * there by then.
 */
export function mountApp(api: Api, reads: StartReads): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element.');
  const store = createAppStore(api);
  void store.getState().key.hydrate(reads);
  void store.getState().catalog.hydrate(reads);
  void untilLanguageKnown(store, 1_000).then(() => {
    applyLanguage(store.getState().ui.settings?.language ?? navigator.language);
    createRoot(root).render(
      <StrictMode>
        <AppStoreProvider store={store}>
          <App />
        </AppStoreProvider>
      </StrictMode>,
    );
  });
}
