/**
 * The metadata Goalpost's checkout puts on every Stripe object it creates (session, payment
 * intent, subscription; Stripe copies the subscription's onto its invoices). Its presence is how
 * an event is recognised as ours: other integrations may share the Stripe account.
 */
export interface GoalpostMetadata {
  campaignId: number;
  frequency: 'one_time' | 'monthly';
  /** The donation in minor units, covered fee excluded. */
  amount: number;
  feeAmount: number;
  /** The deployment that created the object (metadata `goalpost_deployment`); null on older objects. */
  deploymentId: string | null;
}

const MINOR_UNITS = /^\d{1,15}$/;

export function readGoalpostMetadata(metadata: Record<string, string> | null | undefined): GoalpostMetadata | null {
  const campaignId = metadata?.goalpost_campaign_id;
  if (!campaignId || !/^[1-9]\d{0,15}$/.test(campaignId)) return null;
  const amount = metadata.goalpost_amount ?? '';
  const fee = metadata.goalpost_fee_amount ?? '0';
  if (!MINOR_UNITS.test(amount) || !MINOR_UNITS.test(fee)) return null;
  return {
    campaignId: Number(campaignId),
    frequency: metadata.goalpost_frequency === 'monthly' ? 'monthly' : 'one_time',
    amount: Number(amount),
    feeAmount: Number(fee),
    deploymentId: metadata.goalpost_deployment || null,
  };
}
