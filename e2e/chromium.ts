/**
 * Debian's Chromium, never a downloaded browser. As root Chromium needs --no-sandbox; the
 * background-networking flags keep it from calling out of this closed network.
 */
export const CHROMIUM_PATH = process.env.MARKETDESK_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
