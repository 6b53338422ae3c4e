import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Before the screens (./app), whose own rules refine these shared boxes.
import './styles/boxes.css';
import { App } from './app';
import { pickTransport } from './api/pick-transport';
import { createApi } from './api/transport';
import { applyLanguage, untilLanguageKnown } from './i18n/language';
import { createAppStore } from './store/app-store';
import { AppStoreProvider } from './store/store-context';
import './styles/theme.css';
import './styles/app.css';
import './styles/density.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

const store = createAppStore(createApi(pickTransport()));

// The UI language is the profile's language setting, which comes with the settings hydrate reads:
// start reading at once and paint once it is known (waiting 1 s at most; else the browser's
// language until the settings arrive), so the first screen is already in the admin's language.
void store.getState().key.hydrate();
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
