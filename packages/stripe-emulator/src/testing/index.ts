export { startStripeEmulator, type TestEmulatorOptions, type TestStripeEmulator } from './emulator.js';
export { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './webhook-receiver.js';
