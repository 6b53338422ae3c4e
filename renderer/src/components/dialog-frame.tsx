import { useId, type ReactNode } from 'react';
import { Modal } from './modal';
import { ReasonButton } from './reason-button';
import './dialog-frame.css';

interface DialogFrameProps {
  title: string;
  /** What the dialog is for: its accessible description. */
  intro: ReactNode;
  /** Why it cannot be closed now (an action runs), or null: Escape and Close close it. */
  busyReason: string | null;
  onClose: () => void;
  closeLabel: string;
  closeTestId: string;
  testId: string;
  /** Its own class, after `dialog dialog--wide dialog-frame`. */
  className: string;
  children: ReactNode;
}

/**
 * A wide dialog of the app's (the Manifest, Export and Import dialogs): its title, what it is for,
 * its sections, and a Close button that, like Escape, waits while an action runs and says why.
 */
export function DialogFrame({
  title,
  intro,
  busyReason,
  onClose,
  closeLabel,
  closeTestId,
  testId,
  className,
  children,
}: DialogFrameProps) {
  const titleId = useId();
  const introId = useId();
  const closeHelpId = useId();
  return (
    <Modal
      role="dialog"
      className={`dialog dialog--wide dialog-frame ${className}`}
      labelledBy={titleId}
      describedBy={introId}
      onEscape={busyReason ? undefined : onClose}
      initialFocus={() => null}
      testId={testId}
    >
      <h2 id={titleId} className="dialog__title">
        {title}
      </h2>
      <div id={introId}>{intro}</div>
      {children}
      <div className="actions">
        <ReasonButton
          className="button"
          reason={busyReason}
          reasonId={busyReason ? closeHelpId : undefined}
          onClick={onClose}
          data-testid={closeTestId}
        >
          {closeLabel}
        </ReasonButton>
        {busyReason && (
          <p id={closeHelpId} className="help">
            {busyReason}
          </p>
        )}
      </div>
    </Modal>
  );
}
