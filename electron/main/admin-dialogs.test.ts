import { describe, expect, it, vi } from 'vitest';
import { createAdminDialogs, type DialogLike } from './admin-dialogs';

function fakeDialog(save: { canceled: boolean; filePath?: string }, open = { canceled: true, filePaths: [] }) {
  return {
    showMessageBox: vi.fn(() => Promise.resolve({ response: 0 })),
    showOpenDialog: vi.fn(() => Promise.resolve(open)),
    showSaveDialog: vi.fn(() => Promise.resolve(save)),
  } satisfies DialogLike;
}

const FILTERS = [{ name: 'Marketdesk bundle', extensions: ['mdbundle'] }];

describe('the main process’s save dialog (pickSaveFile)', () => {
  it('offers the name, filters and asks before replacing; answers the path chosen', async () => {
    const dialog = fakeDialog({ canceled: false, filePath: '/home/admin/prod.mdbundle' });
    const path = await createAdminDialogs(dialog).pickSaveFile({
      title: 'Save the offline bundle',
      defaultName: 'prod-plugins.mdbundle',
      filters: FILTERS,
    });
    expect(path).toBe('/home/admin/prod.mdbundle');
    expect(dialog.showSaveDialog).toHaveBeenCalledWith({
      title: 'Save the offline bundle',
      defaultPath: 'prod-plugins.mdbundle',
      filters: FILTERS,
      properties: ['showOverwriteConfirmation', 'createDirectory'],
    });
  });

  it.each([{ canceled: true, filePath: '/x.mdbundle' }, { canceled: false, filePath: '' }, { canceled: false }])(
    'answers null when cancelled or given no path (%j)',
    async (answer) => {
      const dialogs = createAdminDialogs(fakeDialog(answer));
      expect(await dialogs.pickSaveFile({ title: 't', defaultName: 'b.mdbundle', filters: FILTERS })).toBeNull();
    },
  );
});
