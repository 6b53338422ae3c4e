import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent, type ReactNode, type RefObject } from 'react';

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface ModalProps {
  /** `alertdialog` for a confirmation, `dialog` otherwise. */
  role: 'dialog' | 'alertdialog';
  labelledBy: string;
  describedBy: string;
  /** Called on Escape; without it Escape does nothing (an action that cannot be left runs). */
  onEscape?: () => void;
  /** Where focus starts; the dialog itself when it gives null. */
  initialFocus: () => HTMLElement | null;
  /** The dialog element, for callers that move focus onto it. */
  dialogRef?: RefObject<HTMLDivElement | null>;
  className?: string;
  testId?: string;
  children: ReactNode;
}

/**
 * The one modal of the app (the confirmations and "Update all"): focus moves in when it opens and
 * back where it was when it closes (to the main area when that is gone or disabled), Tab stays
 * inside, Escape calls `onEscape`.
 */
export function Modal({
  role,
  labelledBy,
  describedBy,
  onEscape,
  initialFocus,
  dialogRef,
  className = 'dialog',
  testId,
  children,
}: ModalProps) {
  const ownRef = useRef<HTMLDivElement>(null);
  const ref = dialogRef ?? ownRef;
  const escapeRef = useRef(onEscape);
  const initialRef = useRef(initialFocus);

  useEffect(() => {
    escapeRef.current = onEscape;
  }, [onEscape]);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    (initialRef.current() ?? ref.current)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !escapeRef.current) return;
      e.preventDefault();
      escapeRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (opener?.isConnected && !opener.matches(':disabled')) opener.focus();
      else document.getElementById('main')?.focus();
    };
  }, [ref]);

  function trapTab(e: ReactKeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'Tab' || !ref.current) return;
    const focusables = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    if (!first || !last) {
      e.preventDefault();
      return;
    }
    const inside = ref.current.contains(document.activeElement);
    if (e.shiftKey && (document.activeElement === first || !inside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className={className}
        role={role}
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        tabIndex={-1}
        onKeyDown={trapTab}
        data-testid={testId}
      >
        {children}
      </div>
    </div>
  );
}
