import { pickTransport } from './api/pick-transport';
import { createApi } from './api/transport';
import { paintEarlyRows, paintsEarly } from './early-paint';
import { startReads } from './store/start-reads';
import { loadViewPrefs, viewStorage } from './store/view-prefs';
import { applyTheme } from './theme';

// The entry is kept tiny: the first screen's reads (the catalogue list among them) leave before the
// app's code (its own chunk, app-main.tsx) is compiled, so the core answers meanwhile. The chunk is
// asked for first: a browser opens six connections per server, and the reads would take them all.
const api = createApi(pickTransport());
const app = import('./app-main');
const reads = startReads(api);
void app.then(({ mountApp }) => mountApp(api, reads));

// The first screen's rows, painted as soon as they arrive while the app's code still compiles:
// inert until React's first render replaces them (a failed read is the app's to report).
void Promise.all([reads.settings, reads.firstRows]).then(
  ([settings, first]) => {
    const root = document.getElementById('root');
    if (!root || !paintsEarly(window.location.hash, settings, first)) return;
    applyTheme(settings.theme);
    paintEarlyRows(root, first, loadViewPrefs(viewStorage(), window.innerWidth).density, window.innerHeight);
  },
  () => undefined,
);
