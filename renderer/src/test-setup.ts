import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';

// The screen lives in the address (#catalog): every test starts from a bare one.
// The view choices (density, two panes) live in localStorage: every test starts from the defaults.
afterEach(() => {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  window.localStorage.clear();
});
