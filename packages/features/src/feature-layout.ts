import { AppError } from '@kindling/errors';
import type { FeatureDefinition } from './feature-definition.js';
import {
  communicationSlices, communicationChannelSlices, communicationSliceWindows, failureWindows, featureWindows, giftSlices, givingMonthWindows,
  planEventWindows, responseRateWindows, sliceWindows, softCreditWindows, volatilityWindows, windowSuffix, type AggregateWindow,
} from './feature-catalogue.js';

/**
 * Where each computed value goes: the catalogue position of every feature, looked up by name once
 * per featurisation so the hot loop writes `values[index]` only. A (slice, window) pair the
 * catalogue leaves out points at the spare last slot, which is never read.
 */
export class FeatureLayout {
  readonly size: number;
  readonly spare: number;
  private readonly positions: Map<string, number>;

  constructor(readonly definitions: readonly FeatureDefinition[]) {
    this.size = definitions.length;
    this.spare = definitions.length;
    this.positions = new Map(definitions.map((definition, index) => [definition.name, index]));
  }

  at(name: string): number {
    const position = this.positions.get(name);
    if (position === undefined) throw new AppError('INTERNAL', `The feature catalogue has no feature ${name}`);
    return position;
  }

  /** One index per aggregate window (`featureWindows` order): the spare slot where `windows` leaves one out. */
  windowed(prefix: string, windows: readonly AggregateWindow[]): Int32Array {
    return Int32Array.from(featureWindows, (window) => (windows.includes(window) ? this.at(`${prefix}_${windowSuffix(window)}`) : this.spare));
  }

  /** (slice × window) indices, slice-major. */
  sliced(prefix: string, slices: readonly { key: string }[], windows: readonly AggregateWindow[]): Int32Array {
    const out = new Int32Array(slices.length * featureWindows.length);
    slices.forEach((slice, s) => {
      out.set(this.windowed(`${prefix}_${slice.key}`, windows), s * featureWindows.length);
    });
    return out;
  }

  indexOf(name: string): number | undefined {
    return this.positions.get(name);
  }
}

/** Every index the featuriser writes, resolved once. */
export function resolveIndices(layout: FeatureLayout) {
  const all = featureWindows;
  return {
    monthsSinceLastGift: layout.at('months_since_last_gift'),
    monthsSinceLargestGift: layout.at('months_since_largest_gift'),
    sliceRecency: Int32Array.from(giftSlices, (slice) => layout.at(`months_since_last_gift_${slice.key}`)),
    monthsSinceLastSoftCredit: layout.at('months_since_last_soft_credit'),
    giftCount: layout.windowed('gift_count', all),
    giftSum: layout.windowed('gift_sum', all),
    giftMean: layout.windowed('gift_mean', all),
    giftMax: layout.windowed('gift_max', all),
    sliceCount: layout.sliced('gift_count', giftSlices, sliceWindows),
    sliceSum: layout.sliced('gift_sum', giftSlices, sliceWindows),
    givingMonths: layout.windowed('giving_months', givingMonthWindows),
    softCreditCount: layout.windowed('soft_credit_count', softCreditWindows),
    softCreditSum: layout.windowed('soft_credit_sum', softCreditWindows),
    firstGiftAmount: layout.at('first_gift_amount'),
    lastGiftAmount: layout.at('last_gift_amount'),
    countChange3: layout.at('gift_count_change_3m'),
    countChange12: layout.at('gift_count_change_12m'),
    sumChange3: layout.at('gift_sum_change_3m'),
    sumChange12: layout.at('gift_sum_change_12m'),
    sumRatio12: layout.at('gift_sum_ratio_12m'),
    lastVsAverage: layout.at('last_gift_vs_average'),
    meanDaysBetween: layout.at('mean_days_between_gifts'),
    amountStd: layout.windowed('gift_amount_std', volatilityWindows),
    amountCv: layout.windowed('gift_amount_cv', volatilityWindows),
    decemberGifts12: layout.at('december_gifts_12m'),
    decemberShare60: layout.at('december_share_60m'),
    decemberShareAll: layout.at('december_share_all_time'),
    monthOfLastGift: layout.at('month_of_last_gift'),
    monthsSinceFirstGift: layout.at('months_since_first_gift'),
    monthsSinceCreated: layout.at('months_since_created'),
    acquisitionChannel: layout.at('acquisition_channel'),
    acquisitionCategory: layout.at('acquisition_category'),
    firstGiftType: layout.at('first_gift_type'),
    activePlans: layout.at('active_plans'),
    currentPlanAmount: layout.at('current_plan_amount'),
    monthlyPlanAmount: layout.at('monthly_plan_amount'),
    activePlanFrequency: layout.at('active_plan_frequency'),
    monthsSincePlanStart: layout.at('months_since_plan_start'),
    planMonthsAllTime: layout.at('plan_months_all_time'),
    monthsSincePlanEnded: layout.at('months_since_plan_ended'),
    monthsSinceLastFailure: layout.at('months_since_last_failure'),
    plansStarted: layout.windowed('plans_started', planEventWindows),
    planEndings: layout.windowed('plan_endings', planEventWindows),
    paymentFailures: layout.windowed('payment_failures', failureWindows),
    planUpgrades: layout.windowed('plan_upgrades', planEventWindows),
    planDowngrades: layout.windowed('plan_downgrades', planEventWindows),
    communications: layout.windowed('communications', all),
    responses: layout.windowed('responses', all),
    communicationSliceCount: layout.sliced('communications', communicationSlices, communicationSliceWindows),
    responseSliceCount: layout.sliced('responses', communicationSlices, communicationSliceWindows),
    responseRate: layout.windowed('response_rate', responseRateWindows),
    channelResponseRate: Int32Array.from(communicationChannelSlices, (slice) => layout.at(`response_rate_${slice.key}_all_time`)),
    monthsSinceLastCommunication: layout.at('months_since_last_communication'),
    monthsSinceLastResponse: layout.at('months_since_last_response'),
    emailsOpened: layout.windowed('emails_opened', [12, 'all-time']),
    emailsClicked: layout.windowed('emails_clicked', [12, 'all-time']),
    bounces: layout.at('bounces_all_time'),
    unsubscribes: layout.at('unsubscribes_all_time'),
    declines: layout.at('declines_all_time'),
    contactKind: layout.at('contact_kind'),
    ageAtCutoff: layout.at('age_at_cutoff'),
    gender: layout.at('gender'),
    region: layout.at('region'),
    country: layout.at('country'),
  };
}

export type FeatureIndices = ReturnType<typeof resolveIndices>;
