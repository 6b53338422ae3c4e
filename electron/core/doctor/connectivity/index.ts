/** The connectivity probe (probe.ts runs the steps, one module each) and what its callers use. */
export { clockFix, clockStep } from './clock';
export { displayName, formatDuration } from './format';
export { runConnectivityProbe } from './probe';
export { CERTIFICATE_CODES, trustRootFix } from './tls';
export * from './types';
