import { act, screen, waitFor, within } from '@testing-library/react';
import { TransportError } from '../../../electron/core/ports';
import { STANDARD } from '../test/core-harness';
import { renderApp } from '../test/render-app';

const GOOD = 'eyJrZXkiOiJnb29kIn0sig1234567890';
const OTHER = 'eyJrZXkiOiJvdGhlciJ9sigABCDEFGH';
const PROXY_407 = { status: 407, body: '<html><h1>407 Proxy Authentication Required</h1></html>' };

async function statusPanel(state: string) {
  const panel = await screen.findByTestId('key-status');
  await waitFor(() => expect(panel).toHaveAttribute('data-state', state));
  return panel;
}

function keySetCalls(calls: { channel: string; payload: unknown }[]) {
  return calls.filter((c) => c.channel === 'key.set').map((c) => c.payload);
}

async function typeAndSave(user: Awaited<ReturnType<typeof renderApp>>['user'], key: string) {
  await user.type(screen.getByLabelText('Registration key'), key);
  await user.click(screen.getByRole('button', { name: 'Save' }));
}

describe('Key screen states', () => {
  it('none: explains what a key is and where to get it, with a masked field', async () => {
    await renderApp();
    const panel = await statusPanel('none');
    expect(panel).toHaveTextContent('No registration key');
    expect(panel).toHaveTextContent(/plugin marketplace, even for free plugins/);
    expect(panel).toHaveTextContent('https://services.glpi-network.com');
    const field = screen.getByLabelText('Registration key');
    expect(field).toHaveAttribute('type', 'password');
    expect(field).toHaveAttribute('autocomplete', 'off');
    expect(field).toHaveAttribute('spellcheck', 'false');
    expect(screen.getByTestId('key-badge')).toHaveTextContent('No key');
  });

  it('valid: shows owner, subscription, offer, period with days left, message and check times', async () => {
    await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    const panel = await statusPanel('valid');
    expect(within(panel).getByText('Registered by').nextSibling).toHaveTextContent('ACME Industries');
    expect(screen.getByTestId('key-subscription')).toHaveTextContent('GLPI Network Standard');
    expect(screen.getByTestId('key-offer')).toHaveTextContent('standard');
    expect(screen.getByTestId('key-period')).toHaveTextContent('From Jan 1, 2025 to Dec 31, 2025');
    expect(screen.getByTestId('key-days-left')).toHaveTextContent('200 days left');
    expect(screen.getByTestId('key-days-left')).toHaveAttribute('data-soon', 'false');
    expect(screen.getByTestId('key-message')).toHaveTextContent('The registration key is valid.');
    expect(screen.getByTestId('key-checked')).toHaveTextContent(/^just now/);
    expect(screen.getByTestId('key-next-check')).toHaveTextContent('Next check: in 1 day');
    expect(screen.getByTestId('masked-key')).toHaveTextContent('eyJr…7890');
    expect(screen.getByTestId('key-badge')).toHaveTextContent('Valid · Standard');
  });

  it('valid: warns when the subscription ends within 30 days, and says how long ago the check was', async () => {
    await renderApp(
      { stored: { key: GOOD }, registrations: { [GOOD]: { ...STANDARD, ends: '2025-07-01' } } },
      ({ clock }) => clock.advance(5 * 60_000),
    );
    await statusPanel('valid');
    const left = screen.getByTestId('key-days-left');
    expect(left).toHaveAttribute('data-soon', 'true');
    expect(left).toHaveTextContent('17 days left · Renew soon');
    expect(screen.getByTestId('key-checked')).toHaveTextContent(/^5 minutes ago/);
  });

  it('invalid: says the key is not recognised and to copy it again', async () => {
    await renderApp({ stored: { key: GOOD } });
    const panel = await statusPanel('invalid');
    expect(panel).toHaveTextContent('GLPI Network does not recognise this key');
    expect(panel).toHaveTextContent('copy it again');
    expect(screen.getByTestId('key-badge')).toHaveTextContent('Invalid key');
  });

  it('terminated: says to renew, and that free plugins still need a valid registration', async () => {
    await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: { ...STANDARD, running: false } } });
    const panel = await statusPanel('terminated');
    expect(panel).toHaveTextContent('Renew it on GLPI Network');
    expect(panel).toHaveTextContent('Free plugins still need a valid registration');
    expect(screen.getByTestId('key-message')).toHaveTextContent('refers to a terminated subscription');
    expect(screen.getByTestId('key-badge')).toHaveTextContent('Subscription terminated');
  });

  it('unreachable: shows cause, message and fix, since when, and the last known answer', async () => {
    const { network, user } = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await statusPanel('valid');
    network.failure = PROXY_407;
    await user.click(screen.getByRole('button', { name: 'Sync' }));
    const panel = await statusPanel('unreachable');
    const failure = within(panel).getByTestId('key-failure');
    expect(failure).toHaveAttribute('data-cause', 'proxy');
    expect(failure).toHaveTextContent('Proxy');
    expect(failure).toHaveTextContent('The proxy asks for authentication (HTTP 407)');
    expect(failure).toHaveTextContent('What to do: Check the proxy address, port and credentials');
    expect(failure).toHaveTextContent('407');
    expect(screen.getByTestId('key-unreachable-since')).toHaveTextContent(/^Unreachable since Jun 15, 2025/);
    expect(panel).toHaveTextContent('Last known answer');
    expect(screen.getByTestId('key-owner')).toHaveTextContent('ACME Industries');
    expect(screen.getByTestId('key-badge')).toHaveTextContent('Unreachable');
  });

  it('unreachable without any earlier answer says so', async () => {
    await renderApp({
      stored: { key: GOOD },
      storedWith: new TransportError('dns', 'getaddrinfo ENOTFOUND', 'ENOTFOUND'),
    });
    const panel = await statusPanel('unreachable');
    expect(panel).toHaveTextContent('Name resolution (DNS)');
    expect(panel).toHaveTextContent('could not be resolved');
    expect(panel).toHaveTextContent('No earlier answer from GLPI Network is known.');
  });

  it('checking (a scheduled check): spinner text, and the key buttons disabled with the reason', async () => {
    const { core, network } = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await statusPanel('valid');
    const release = network.hold();
    let check!: Promise<unknown>;
    act(() => {
      check = core.keys.sync();
    });
    const panel = await statusPanel('checking');
    expect(panel).toHaveAttribute('aria-busy', 'true');
    expect(panel).toHaveTextContent('Checking the key with GLPI Network…');
    for (const name of ['Sync', 'Replace key', 'Forget']) {
      const button = screen.getByRole('button', { name });
      expect(button).toBeDisabled();
      expect(button).toHaveAccessibleDescription('Wait until the check is finished.');
    }
    expect(screen.getByTestId('key-badge')).toHaveTextContent('Checking…');
    release();
    await act(() => check);
    await statusPanel('valid');
    expect(screen.getByRole('button', { name: 'Sync' })).toBeEnabled();
  });

  it('error: a failed start explains and retries', async () => {
    let fail = true;
    const { user } = await renderApp({}, ({ core }) => {
      const original = core.handlers['key.status'];
      core.handlers['key.status'] = (req) => (fail ? Promise.reject(new Error('disk on fire')) : original(req));
    });
    const panel = await statusPanel('error');
    expect(panel).toHaveTextContent('Marketdesk could not read its state.');
    expect(panel).toHaveTextContent('Something went wrong inside Marketdesk');
    expect(panel).not.toHaveTextContent('disk on fire');
    expect(screen.getByTestId('key-badge')).toHaveTextContent('Status unknown');
    fail = false;
    await user.click(within(panel).getByRole('button', { name: 'Try again' }));
    await statusPanel('none');
  });
});

describe('Saving a key', () => {
  it('stores the key, empties the field, shows the masked key, and the key never stays in the DOM', async () => {
    const { user, storedKey, store } = await renderApp({ registrations: { [GOOD]: STANDARD } });
    await statusPanel('none');
    const field = screen.getByLabelText('Registration key');
    await user.type(field, GOOD);
    expect(document.body.innerHTML).not.toContain(GOOD);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await statusPanel('valid');
    expect(await storedKey()).toBe(GOOD);
    expect(screen.queryByLabelText('Registration key')).not.toBeInTheDocument();
    expect(screen.getByTestId('masked-key')).toHaveTextContent('eyJr…7890');
    expect(screen.getByTestId('key-storage')).toHaveTextContent('Kept in the system keychain.');
    expect(document.body.innerHTML).not.toContain(GOOD);
    expect(JSON.stringify(store.getState())).not.toContain(GOOD);
    expect(field).toHaveValue('');
    expect(screen.getByRole('heading', { name: 'The key is valid' })).toHaveFocus();
  });

  it('shows checking while GLPI Network is asked', async () => {
    const { user, network } = await renderApp({ registrations: { [GOOD]: STANDARD } });
    await statusPanel('none');
    const release = network.hold();
    await typeAndSave(user, GOOD);
    await statusPanel('checking');
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    act(() => release());
    await statusPanel('valid');
  });

  it.each([
    ['abc def ghijkl', 'The key contains spaces or line breaks in the middle.'],
    ['"eyJrZXkiOiJnb29kIn0"', 'The key is wrapped in quotes.'],
    ['short', 'The key is only 5 characters long; it looks cut off.'],
  ])('refuses the malformed key %j without sending it', async (raw, message) => {
    const { user, transport, network } = await renderApp();
    await statusPanel('none');
    const field = screen.getByLabelText('Registration key');
    await typeAndSave(user, raw);
    const error = await screen.findByTestId('key-save-error');
    expect(error).toHaveAttribute('data-code', 'KEY_MALFORMED');
    expect(error).toHaveTextContent(message);
    expect(error).toHaveTextContent(/What to do: /);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(expect.stringContaining(message));
    expect(keySetCalls(transport.calls)).toEqual([]);
    expect(network.calls).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Save anyway' })).not.toBeInTheDocument();
  });

  it('KEY_INVALID: shows what GLPI Network answered and "Save anyway" stores it with force', async () => {
    const { user, transport, storedKey } = await renderApp();
    await statusPanel('none');
    await typeAndSave(user, GOOD);
    const error = await screen.findByTestId('key-save-error');
    expect(error).toHaveAttribute('data-code', 'KEY_INVALID');
    expect(error).toHaveTextContent('GLPI Network does not recognise this key.');
    expect(within(error).getByTestId('key-message')).toHaveTextContent('The registration key is invalid.');
    expect(within(error).getAllByText('The registration key is invalid.')).toHaveLength(1);
    expect(error).toHaveTextContent(/What to do: .*Copy the key again/);
    expect(await storedKey()).toBeNull();
    expect(document.body.innerHTML).not.toContain(GOOD);
    await user.click(within(error).getByRole('button', { name: 'Save anyway' }));
    await statusPanel('invalid');
    expect(keySetCalls(transport.calls)).toEqual([{ key: GOOD }, { key: GOOD, force: true }]);
    expect(await storedKey()).toBe(GOOD);
    expect(screen.queryByTestId('key-save-error')).not.toBeInTheDocument();
  });

  it('KEY_UNVERIFIED: shows why GLPI Network could not be reached and offers "Save anyway"', async () => {
    const { user, transport, network } = await renderApp({ registrations: { [GOOD]: STANDARD } });
    await statusPanel('none');
    network.failure = new TransportError('timeout', 'connect ETIMEDOUT', 'ETIMEDOUT');
    await typeAndSave(user, GOOD);
    const error = await screen.findByTestId('key-save-error');
    expect(error).toHaveAttribute('data-code', 'KEY_UNVERIFIED');
    const failure = within(error).getByTestId('key-failure');
    expect(failure).toHaveAttribute('data-cause', 'timeout');
    expect(failure).toHaveTextContent('A firewall is probably dropping the traffic');
    expect(within(error).getAllByText(/A firewall is probably dropping the traffic/)).toHaveLength(1);
    await user.click(within(error).getByRole('button', { name: 'Save anyway' }));
    await statusPanel('unreachable');
    expect(keySetCalls(transport.calls).at(-1)).toEqual({ key: GOOD, force: true });
  });

  it('KEYCHAIN_UNAVAILABLE: explains and offers to keep the key for this session only', async () => {
    const { user, transport } = await renderApp({ registrations: { [GOOD]: STANDARD }, keychainAvailable: false });
    await statusPanel('none');
    await typeAndSave(user, GOOD);
    const error = await screen.findByTestId('key-save-error');
    expect(error).toHaveAttribute('data-code', 'KEYCHAIN_UNAVAILABLE');
    expect(error).toHaveTextContent('The OS keychain cannot be used: no Secret Service answered on D-Bus');
    expect(error).toHaveTextContent('What to do: Unlock or start your keyring');
    expect(within(error).queryByRole('button', { name: 'Save anyway' })).not.toBeInTheDocument();
    await user.click(within(error).getByRole('button', { name: 'Keep for this session only' }));
    await statusPanel('valid');
    expect(keySetCalls(transport.calls).at(-1)).toEqual({ key: GOOD, storage: 'session' });
    expect(screen.getByTestId('key-storage')).toHaveTextContent('Kept for this session only');
    expect(document.body.innerHTML).not.toContain(GOOD);
  });

  it('keeps "Save anyway" when falling back to the session', async () => {
    const { user, transport } = await renderApp({ keychainAvailable: false });
    await statusPanel('none');
    await typeAndSave(user, GOOD);
    await user.click(await screen.findByRole('button', { name: 'Save anyway' }));
    await user.click(await screen.findByRole('button', { name: 'Keep for this session only' }));
    await statusPanel('invalid');
    expect(keySetCalls(transport.calls).at(-1)).toEqual({ key: GOOD, force: true, storage: 'session' });
  });

  it('other errors: shows the message, never internals', async () => {
    const { user } = await renderApp({}, ({ core }) => {
      core.handlers['key.set'] = () => Promise.reject(new Error('secret internals'));
    });
    await statusPanel('none');
    await typeAndSave(user, GOOD);
    const error = await screen.findByTestId('key-save-error');
    expect(error).toHaveAttribute('data-code', 'INTERNAL');
    expect(error).toHaveTextContent('Something went wrong inside Marketdesk; the details are in the log.');
    expect(error).not.toHaveTextContent('secret internals');
  });

  it('editing the field clears the previous error', async () => {
    const { user } = await renderApp();
    await statusPanel('none');
    const field = screen.getByLabelText('Registration key');
    await user.type(field, 'short');
    await user.keyboard('{Enter}');
    await screen.findByTestId('key-save-error');
    await user.type(field, 'er-but-still');
    expect(screen.queryByTestId('key-save-error')).not.toBeInTheDocument();
  });

  it('replaces a stored key', async () => {
    const { user, storedKey } = await renderApp({
      stored: { key: GOOD },
      registrations: { [GOOD]: STANDARD, [OTHER]: STANDARD },
    });
    await statusPanel('valid');
    await user.click(screen.getByRole('button', { name: 'Replace key' }));
    const field = screen.getByLabelText('Registration key');
    expect(field).toHaveFocus();
    await user.type(field, `${OTHER}{Enter}`);
    await waitFor(() => expect(screen.getByTestId('masked-key')).toHaveTextContent('eyJr…EFGH'));
    expect(await storedKey()).toBe(OTHER);
    expect(document.body.innerHTML).not.toContain(OTHER);
  });

  it('cancelling a replacement keeps the stored key and returns focus', async () => {
    const { user, transport } = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await statusPanel('valid');
    await user.click(screen.getByRole('button', { name: 'Replace key' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByTestId('masked-key')).toHaveTextContent('eyJr…7890');
    expect(screen.getByRole('button', { name: 'Replace key' })).toHaveFocus();
    expect(keySetCalls(transport.calls)).toEqual([]);
  });
});

describe('Sync and Forget', () => {
  it('Sync shows checking, then the state the core pushes', async () => {
    const { user, network, transport } = await renderApp({
      stored: { key: GOOD },
      registrations: { [GOOD]: STANDARD },
    });
    await statusPanel('valid');
    const release = network.hold();
    network.registrations.set(GOOD, { ...STANDARD, running: false });
    await user.click(screen.getByRole('button', { name: 'Sync' }));
    await statusPanel('checking');
    expect(screen.getByRole('button', { name: 'Sync' })).toBeDisabled();
    act(() => release());
    await statusPanel('terminated');
    expect(screen.getByTestId('key-badge')).toHaveTextContent('Subscription terminated');
    expect(screen.getByRole('button', { name: 'Sync' })).toBeEnabled();
    expect(transport.calls.filter((c) => c.channel === 'key.sync')).toHaveLength(1);
  });

  it('follows the scheduled re-check without any request from the renderer', async () => {
    const { clock, network, transport } = await renderApp({
      stored: { key: GOOD },
      registrations: { [GOOD]: STANDARD },
    });
    await statusPanel('valid');
    const calls = transport.calls.length;
    network.registrations.delete(GOOD);
    act(() => clock.advance(86_400_000));
    await statusPanel('invalid');
    expect(transport.calls.length).toBe(calls);
  });

  it('a failed Sync is shown with its fix', async () => {
    const { user, keychain } = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await statusPanel('valid');
    keychain.available = false;
    await user.click(screen.getByRole('button', { name: 'Sync' }));
    const error = await screen.findByTestId('key-action-error');
    expect(error).toHaveAttribute('data-code', 'KEYCHAIN_UNAVAILABLE');
    expect(error).toHaveTextContent('The action failed: The OS keychain cannot be used');
    expect(error).toHaveTextContent('What to do: Unlock or start your keyring');
  });

  it('Forget asks first; Esc and "Keep the key" keep it', async () => {
    const { user, storedKey, transport } = await renderApp({
      stored: { key: GOOD },
      registrations: { [GOOD]: STANDARD },
    });
    await statusPanel('valid');
    const forget = screen.getByRole('button', { name: 'Forget' });
    await user.click(forget);
    const dialog = screen.getByRole('alertdialog', { name: 'Forget the stored key?' });
    expect(within(dialog).getByRole('button', { name: 'Keep the key' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(forget).toHaveFocus();
    await user.click(forget);
    await user.click(screen.getByRole('button', { name: 'Keep the key' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(await storedKey()).toBe(GOOD);
    expect(transport.calls.some((c) => c.channel === 'key.forget')).toBe(false);
  });

  it('Forget, confirmed, removes the key and puts focus in the empty field', async () => {
    const { user, storedKey } = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await statusPanel('valid');
    await user.click(screen.getByRole('button', { name: 'Forget' }));
    await user.click(screen.getByRole('button', { name: 'Forget the key' }));
    await statusPanel('none');
    expect(await storedKey()).toBeNull();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Registration key')).toHaveFocus();
    expect(screen.getByTestId('key-badge')).toHaveTextContent('No key');
  });
});

describe('Keyboard', () => {
  it('reaches every control in order and Enter submits the form', async () => {
    const { user, storedKey } = await renderApp({ registrations: { [GOOD]: STANDARD } });
    await statusPanel('none');
    await user.tab();
    expect(screen.getByRole('link', { name: 'Skip to content' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: 'Registration key' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: 'Catalogue' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: 'Entitlements' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: 'Installed' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: 'Fleet' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: 'Planner' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: 'Doctor' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: 'Settings' })).toHaveFocus();
    await user.tab();
    expect(screen.getByLabelText('Registration key')).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Save' })).toHaveFocus();
    await user.tab({ shift: true });
    await user.keyboard(`${GOOD}{Enter}`);
    await statusPanel('valid');
    expect(await storedKey()).toBe(GOOD);

    await user.tab();
    expect(screen.getByRole('button', { name: 'Sync' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Replace key' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Forget' })).toHaveFocus();
  });

  it('keeps Tab inside the confirm dialog', async () => {
    const { user } = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await statusPanel('valid');
    screen.getByRole('button', { name: 'Forget' }).focus();
    await user.keyboard('{Enter}');
    const keep = screen.getByRole('button', { name: 'Keep the key' });
    const confirm = screen.getByRole('button', { name: 'Forget the key' });
    expect(keep).toHaveFocus();
    await user.tab();
    expect(confirm).toHaveFocus();
    await user.tab();
    expect(keep).toHaveFocus();
    await user.tab({ shift: true });
    expect(confirm).toHaveFocus();
  });

  it('the skip link moves focus to the main content', async () => {
    const { user } = await renderApp();
    await statusPanel('none');
    await user.tab();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('main')).toHaveFocus();
  });
});
