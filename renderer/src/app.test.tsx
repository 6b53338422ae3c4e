import { act, screen, waitFor } from '@testing-library/react';
import { STANDARD } from './test/core-harness';
import { renderApp } from './test/render-app';

const GOOD = 'eyJrZXkiOiJnb29kIn0sig1234567890';

describe('App frame', () => {
  it('has a header with the product name and key badge, a named navigation and a main region', async () => {
    await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    const header = screen.getByRole('banner');
    expect(header).toHaveTextContent('Marketdesk');
    const badge = screen.getByTestId('key-badge');
    expect(header).toContainElement(badge);
    await waitFor(() => expect(badge).toHaveAttribute('data-state', 'valid'));
    expect(badge).toHaveTextContent('Valid · Standard');
    expect(header).toHaveTextContent('Profile: default · Browser shell');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const link = screen.getByRole('link', { name: 'Registration key' });
    expect(nav).toContainElement(link);
    expect(link).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('main')).toContainElement(screen.getByTestId('key-status'));
    expect(screen.getByRole('heading', { level: 1, name: 'Registration key' })).toBeInTheDocument();
  });

  it('shows "Checking…" in the badge until the status is read', async () => {
    let release!: () => void;
    await renderApp({}, ({ core }) => {
      const original = core.handlers['key.status'];
      core.handlers['key.status'] = async (req) => {
        await new Promise<void>((r) => (release = r));
        return original(req);
      };
    });
    const badge = screen.getByTestId('key-badge');
    expect(badge).toHaveAttribute('data-state', 'loading');
    expect(badge).toHaveTextContent('Checking…');
    await waitFor(() => expect(release).toBeDefined());
    act(() => release());
    await waitFor(() => expect(badge).toHaveTextContent('No key'));
  });

  it('announces key state changes in a polite live region', async () => {
    const { core, network } = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    const live = screen.getByTestId('live-status');
    expect(live).toHaveAttribute('aria-live', 'polite');
    await waitFor(() => expect(screen.getByTestId('key-badge')).toHaveAttribute('data-state', 'valid'));
    network.registrations.delete(GOOD);
    await act(() => core.keys.sync());
    await waitFor(() => expect(live).toHaveTextContent('Registration key: Invalid key'));
  });

  it('hydrates once, even under StrictMode double effects', async () => {
    const { transport } = await renderApp();
    await waitFor(() => expect(screen.getByTestId('key-status')).toHaveAttribute('data-state', 'none'));
    expect(transport.calls.filter((c) => c.channel === 'key.status')).toHaveLength(1);
  });
});

describe('Screens in the address', () => {
  it('opens the screen the address names, records navigation in it, and follows Back', async () => {
    window.history.replaceState(null, '', '#entitlements');
    const { user, store } = await renderApp();
    expect(store.getState().ui.screen).toBe('entitlements');
    expect(screen.getByRole('heading', { level: 1, name: 'Entitlements' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Registration key' }));
    expect(window.location.hash).toBe('#key');
    expect(screen.getByRole('link', { name: 'Registration key' })).toHaveAttribute('aria-current', 'page');
    act(() => {
      window.history.replaceState(null, '', '#catalog');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(screen.getByRole('heading', { level: 1, name: 'Catalogue' })).toBeInTheDocument();
  });
});

describe('Desktop menu commands (app.command)', () => {
  it('opens the doctor, the key screen, and the catalogue with its search box focused', async () => {
    const app = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    act(() => app.core.events.emit('app.command', { command: 'doctor' }));
    expect(await screen.findByRole('heading', { level: 1, name: /Doctor/ })).toBeInTheDocument();
    expect(window.location.hash).toBe('#doctor');
    act(() => app.core.events.emit('app.command', { command: 'search' }));
    await waitFor(() => expect(screen.getByTestId('catalog-search')).toHaveFocus());
    expect(app.store.getState().ui.searchRequested).toBe(false);
    act(() => app.core.events.emit('app.command', { command: 'show-key' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Registration key' })).toBeInTheDocument();
  });
});
