/**
 * Asks the core to stop a long run (`bundles.cancel`, `manifest.cancel`, `fleet.cancel`,
 * `plan.cancel`): `stopping` is set until the run ends and says how it went; when the core answers
 * that nothing was running any more (the run ended meanwhile) or cannot be asked, it is reset at once.
 */
export async function askToStop(
  cancel: () => Promise<{ cancelled: boolean }>,
  setStopping: (stopping: boolean) => void,
): Promise<void> {
  setStopping(true);
  const stopped = await cancel()
    .then((r) => r.cancelled)
    .catch(() => false);
  if (!stopped) setStopping(false);
}
