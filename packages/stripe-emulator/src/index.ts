export { runStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from './server.js';
export type { EmulatorControls } from './controls.js';
export type { WebhookTarget } from './webhooks.js';
