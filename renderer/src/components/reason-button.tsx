import { useId, type ComponentPropsWithRef } from 'react';

type ReasonButtonProps = Omit<ComponentPropsWithRef<'button'>, 'type' | 'disabled' | 'title' | 'aria-describedby'> & {
  /** Why the action cannot run now, or null when it can: disabled, with the reason as tooltip and description. */
  reason: string | null;
  /** The id of a reason already shown on the page; without it the reason is given in a visually hidden text. */
  reasonId?: string;
};

/**
 * A button that is disabled only with a reason, which assistive technologies read as its
 * description and the mouse shows as its tooltip.
 */
export function ReasonButton({ reason, reasonId, ...props }: ReasonButtonProps) {
  const hiddenId = useId();
  const describedBy = reason === null ? undefined : (reasonId ?? hiddenId);
  return (
    <>
      <button
        {...props}
        type="button"
        disabled={reason !== null}
        title={reason ?? undefined}
        aria-describedby={describedBy}
      />
      {reason !== null && reasonId === undefined && (
        <span id={hiddenId} className="visually-hidden">
          {reason}
        </span>
      )}
    </>
  );
}
