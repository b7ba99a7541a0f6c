import type { SolicitationChannel } from '@kindling/crm-import';
import type { Day } from './day-numbers.js';

export type PlanFrequency = 'monthly' | 'quarterly' | 'yearly';
export type PlanStatus = 'active' | 'cancelled' | 'failed';

/** One regular-giving plan as the simulation runs it; written as a recurring_plans row. */
export interface PlanState {
  readonly localIndex: number;
  readonly startDay: Day;
  readonly frequency: PlanFrequency;
  readonly origin: 'face-to-face' | 'other';
  readonly campaignIndex: number;
  readonly packageIndex: number;
  amount: number;
  status: PlanStatus;
  endDay: Day | undefined;
  cancellationReason: string;
  consecutiveFailures: number;
  totalFailures: number;
  /** Each failed collection: the day and the amount that was due. */
  readonly failures: { readonly day: Day; readonly amount: number }[];
}

export interface GiftEvent {
  readonly day: Day;
  readonly amount: number;
  readonly type: 'one-off' | 'recurring instalment' | 'bequest' | 'event income';
  readonly paymentMethod: string;
  readonly campaignIndex: number | undefined;
  readonly packageIndex: number | undefined;
  readonly planLocalIndex: number | undefined;
}

export interface CommunicationEvent {
  readonly day: Day;
  readonly campaignIndex: number;
  readonly packageIndex: number;
  readonly channel: SolicitationChannel;
  readonly response: 'no response' | 'responded' | 'opened' | 'clicked' | 'bounced' | 'unsubscribed' | 'declined';
}

/** What the simulation remembers about a contact as it walks through time. */
export interface ContactState {
  dormant: boolean;
  deathDay: Day | undefined;
  lastGiftDay: Day | undefined;
  lastCashDay: Day | undefined;
  lastCashAmount: number | undefined;
  cashGifts: number;
  gifts: number;
  maxGift: number;
  totalGiven: number;
  responses: number;
  responsesByChannel: Partial<Record<SolicitationChannel, number>>;
  unsubscribed: boolean;
  bequestLogit: number;
  plan: PlanState | undefined;
  lastPlanEndDay: Day | undefined;
  readonly plans: PlanState[];
  readonly giftEvents: GiftEvent[];
  readonly communications: CommunicationEvent[];
}

export function initialState(bequestLogit: number): ContactState {
  return {
    dormant: false, deathDay: undefined, lastGiftDay: undefined, lastCashDay: undefined, lastCashAmount: undefined,
    cashGifts: 0, gifts: 0, maxGift: 0, totalGiven: 0, responses: 0, responsesByChannel: {}, unsubscribed: false,
    bequestLogit, plan: undefined, lastPlanEndDay: undefined, plans: [], giftEvents: [], communications: [],
  };
}

/** Books a gift into the state; the caller has already decided it happens inside the window. */
export function recordGift(state: ContactState, gift: GiftEvent): void {
  state.giftEvents.push(gift);
  state.gifts += 1;
  state.totalGiven += gift.amount;
  state.maxGift = Math.max(state.maxGift, gift.amount);
  state.lastGiftDay = Math.max(state.lastGiftDay ?? gift.day, gift.day);
  if (gift.type === 'one-off' || gift.type === 'event income') {
    state.cashGifts += 1;
    state.lastCashDay = Math.max(state.lastCashDay ?? gift.day, gift.day);
    state.lastCashAmount = gift.amount;
  }
}
