import { pickTransport } from './api/pick-transport';
import { createApi } from './api/transport';
import { startReads } from './store/start-reads';

// The entry is kept tiny: the first screen's reads (the catalogue list among them) leave before the
// app's code (its own chunk, app-main.tsx) is compiled, so the core answers meanwhile. The chunk is
// asked for first: a browser opens six connections per server, and the reads would take them all.
const api = createApi(pickTransport());
const app = import('./app-main');
const reads = startReads(api);
void app.then(({ mountApp }) => mountApp(api, reads));
