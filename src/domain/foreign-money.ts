/**
 * Which Stripe events may count here at all. A Stripe account can hold other integrations,
 * other Goalpost deployments (staging next to production) and both test and live mode; money
 * counts only when it traces back to this deployment, in its mode and in the currency it
 * expects. Everything else is ignored with the reason, and flagged so an operator sees it.
 */

/** Why an ignored event deserves an operator's look (GET /v1/admin/stripe-events?flag=). */
export type EventFlag = 'livemode_mismatch' | 'currency_mismatch' | 'foreign';

export const EVENT_FLAGS: readonly EventFlag[] = ['livemode_mismatch', 'currency_mismatch', 'foreign'];

export interface Refusal {
  note: string;
  flag: EventFlag;
}

/** A test-mode event never counts in a live deployment, nor a live one in a test deployment. */
export function livemodeRefusal(eventLivemode: boolean, deploymentLive: boolean): Refusal | null {
  if (eventLivemode === deploymentLive) return null;
  const mode = (live: boolean) => (live ? 'live' : 'test');
  return {
    note: `a ${mode(eventLivemode)}-mode event, but this deployment's Stripe key is in ${mode(deploymentLive)} mode`,
    flag: 'livemode_mismatch',
  };
}

/** Money in another currency than expected is never booked as if it were in the expected one. */
export function currencyRefusal(what: string, currency: string | null | undefined, expected: string): Refusal | null {
  if (!currency || currency.toLowerCase() === expected.toLowerCase()) return null;
  return { note: `${what} is in ${currency.toLowerCase()}, but it belongs to money counted in ${expected}`, flag: 'currency_mismatch' };
}

/**
 * A subscription (or payment) we hold no record of yet counts only when its metadata carries this
 * deployment's id: then its checkout is on the way and the event may wait for it.
 */
export function deploymentRefusal(what: string, metadataDeployment: string | null, ours: string): Refusal | null {
  if (metadataDeployment === ours) return null;
  return {
    note: metadataDeployment
      ? `${what} was created by another Goalpost deployment (${metadataDeployment})`
      : `${what} carries no Goalpost deployment id: not created by this deployment`,
    flag: 'foreign',
  };
}

/** A checkout session counts only when this deployment created it (it holds the checkout row). */
export function unknownSessionRefusal(sessionId: string): Refusal {
  return { note: `checkout ${sessionId} was not created by this deployment (no checkout row)`, flag: 'foreign' };
}
