/**
 * What the public supporters wall shows of a donation. Anonymous donors are there (they gave)
 * but with no name, message or amount; a message an admin hid is null; amounts appear only
 * when the campaign shows them.
 */
export interface SupporterEntry {
  name: string | null;
  message: string | null;
  amount?: number;
  currency?: string;
  created_at: string;
}

export function supporterEntry(
  donation: { donor_name: string | null; anonymous: boolean; message: string | null; message_hidden: boolean; net_amount: number; currency: string; paid_at: Date },
  showAmounts: boolean,
): SupporterEntry {
  const created_at = donation.paid_at.toISOString();
  if (donation.anonymous) return { name: null, message: null, created_at };
  return {
    name: donation.donor_name,
    message: donation.message_hidden ? null : donation.message,
    ...(showAmounts && { amount: donation.net_amount, currency: donation.currency }),
    created_at,
  };
}
