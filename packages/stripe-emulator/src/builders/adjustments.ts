import type Stripe from 'stripe';

export interface RefundInit {
  id: string;
  created: number;
  amount: number;
  charge: Stripe.Charge;
  reason: Stripe.Refund.Reason | null;
  metadata: Record<string, string>;
}

export function buildRefund(init: RefundInit): Stripe.Refund {
  return {
    id: init.id,
    object: 'refund',
    amount: init.amount,
    balance_transaction: `txn_${init.id.slice(3)}`,
    charge: init.charge.id,
    created: init.created,
    currency: init.charge.currency,
    customer: init.charge.customer,
    customer_account: null,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: init.metadata,
    payment_intent: init.charge.payment_intent,
    payment_method: init.charge.payment_method,
    reason: init.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

export interface DisputeInit {
  id: string;
  created: number;
  amount: number;
  charge: Stripe.Charge;
  reason: string;
}

const EMPTY_EVIDENCE: Stripe.Dispute.Evidence = {
  access_activity_log: null,
  billing_address: null,
  cancellation_policy: null,
  cancellation_policy_disclosure: null,
  cancellation_rebuttal: null,
  customer_communication: null,
  customer_email_address: null,
  customer_name: null,
  customer_purchase_ip: null,
  customer_signature: null,
  duplicate_charge_documentation: null,
  duplicate_charge_explanation: null,
  duplicate_charge_id: null,
  enhanced_evidence: {},
  product_description: null,
  receipt: null,
  refund_policy: null,
  refund_policy_disclosure: null,
  refund_refusal_explanation: null,
  service_date: null,
  service_documentation: null,
  shipping_address: null,
  shipping_carrier: null,
  shipping_date: null,
  shipping_documentation: null,
  shipping_tracking_number: null,
  uncategorized_file: null,
  uncategorized_text: null,
};

const SEVEN_DAYS = 7 * 24 * 3600;

export function buildDispute(init: DisputeInit): Stripe.Dispute {
  return {
    id: init.id,
    object: 'dispute',
    amount: init.amount,
    balance_transactions: [],
    charge: init.charge.id,
    created: init.created,
    currency: init.charge.currency,
    enhanced_eligibility_types: [],
    evidence: { ...EMPTY_EVIDENCE, customer_email_address: init.charge.billing_details.email, customer_name: init.charge.billing_details.name },
    evidence_details: {
      due_by: init.created + SEVEN_DAYS,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    network_reason_code: '10.4',
    payment_intent: init.charge.payment_intent,
    payment_method_details: { card: { brand: 'visa', case_type: 'chargeback', network: 'visa', network_reason_code: '10.4' }, type: 'card' },
    reason: init.reason,
    status: 'needs_response',
  };
}
