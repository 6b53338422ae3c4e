/**
 * The connectivity probe (probe.ts runs the steps, one module each), the checks the doctor runs
 * after it through the app's client, and what their callers use.
 */
export { archiveCheck } from './archive-check';
export { clockFix, clockStep } from './clock';
export { displayName, formatDuration } from './format';
export { marketplaceCheck, type MarketplaceCheckDeps } from './marketplace-check';
export { runConnectivityProbe } from './probe';
export { registrationCheck } from './registration-check';
export { stepCheck } from './step-check';
export { CERTIFICATE_CODES, trustRootFix } from './tls';
export * from './types';
