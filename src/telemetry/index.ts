export { createSentryReporter, noReporter, type ErrorReporter, type HostFailure } from './sentry-reporter.js';
