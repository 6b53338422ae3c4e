import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { App } from '../app';
import { createApi, type FileTransfer } from '../api/transport';
import { createAppStore, type AppStore } from '../store/app-store';
import { AppStoreProvider } from '../store/store-context';
import { createCoreHarness, type CoreHarness, type CoreHarnessOptions } from './core-harness';
import { createInMemoryTransport, type InMemoryTransport } from './in-memory-transport';

export interface RenderedApp extends CoreHarness {
  transport: InMemoryTransport;
  store: AppStore;
  user: ReturnType<typeof userEvent.setup>;
}

/**
 * The whole app (under StrictMode, as app-main.tsx renders it) over the real core with fake ports,
 * through the real dispatch. `configure` may wrap handlers before the app starts.
 */
export async function renderApp(
  options: CoreHarnessOptions = {},
  configure?: (harness: CoreHarness) => void,
  /** The browser shell's file routes (uploads, downloads); without them the app is the desktop app's page. */
  files?: FileTransfer,
): Promise<RenderedApp> {
  const harness = await createCoreHarness(options);
  configure?.(harness);
  const transport = createInMemoryTransport(harness.core.handlers, harness.core.events, undefined, files);
  const store = createAppStore(createApi(transport), { now: () => harness.clock.now() });
  const user = userEvent.setup();
  render(
    <StrictMode>
      <AppStoreProvider store={store}>
        <App />
      </AppStoreProvider>
    </StrictMode>,
  );
  return { ...harness, transport, store, user };
}
