/**
 * The doctor's key checks (issue "The doctor", point 5): what is wrong with a pasted key before
 * anything is sent (key-text-checks.ts), and what the stored key's state means (key-state-checks.ts).
 */
export { checkKeyText } from './key-text-checks';
export { checkKeyState, formatWhen, type KeyStateInput } from './key-state-checks';
