import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';

// The screen lives in the address (#catalog): every test starts from a bare one.
afterEach(() => {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
});
