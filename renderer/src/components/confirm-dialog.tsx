import { useId, useRef } from 'react';
import { Modal } from './modal';

interface ConfirmDialogProps {
  title: string;
  text: string;
  confirmLabel: string;
  cancelLabel: string;
  /** Disables the confirm button while the action runs. */
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation (role="alertdialog"). Focus starts on the safe choice, Tab stays inside,
 * Esc cancels, and focus goes back to where it was when the dialog closes.
 */
export function ConfirmDialog({
  title,
  text,
  confirmLabel,
  cancelLabel,
  busy = false,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const titleId = useId();
  const textId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);

  return (
    <Modal
      role="alertdialog"
      labelledBy={titleId}
      describedBy={textId}
      onEscape={onCancel}
      initialFocus={() => cancelRef.current}
    >
      <h2 id={titleId} className="dialog__title">
        {title}
      </h2>
      <p id={textId}>{text}</p>
      <div className="actions">
        <button ref={cancelRef} type="button" className="button" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className="button button--danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
