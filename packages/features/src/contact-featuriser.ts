import { noDay, openEnd, type ContactHistory } from './contact-history.js';
import { addMonths, civilOf, daysPerMonth, type Day } from './day-numbers.js';
import { categorySlices, communicationChannelSlices, featureWindows, giftTypeSlices } from './feature-catalogue.js';
import type { FeatureIndices } from './feature-layout.js';
import { planAmountAt, upperBound } from './history-queries.js';
import { categoryCodes, channelCodes, giftTypeCodes, instalmentsPerMonth, noCode, responseCode } from './vocabularies.js';

const windowCount = featureWindows.length;
const allTime = windowCount - 1;
/** Index of each window in `featureWindows`: 3m 0, 6m 1, 12m 2, 24m 3, 36m 4, 60m 5, all-time 6. */
const w3 = 0;
const w6 = 1;
const w12 = 2;
const w24 = 3;
const w60 = 5;

const typeSliceBase = 1;
const categorySliceBase = typeSliceBase + giftTypeSlices.length;
const channelSliceBase = categorySliceBase + categorySlices.length;
/** Slot 0 is every gift; then the slices in `giftSlices` order. */
const giftSliceSlots = channelSliceBase + channelCodes.length + 1;
const communicationSliceSlots = communicationChannelSlices.length + categoryCodes.length + 1;

/** The window starts of one cutoff: an event on day d is in window w when d > start[w] (and d <= cutoff). */
export class CutoffWindows {
  readonly start = new Int32Array(windowCount - 1);
  readonly year: number;

  constructor(readonly cutoff: Day) {
    featureWindows.forEach((window, w) => {
      if (window !== 'all-time') this.start[w] = addMonths(cutoff, -window);
    });
    this.year = civilOf(cutoff).year;
  }
}

/** Smallest window holding `day` (all-time when none); windows nest, so the walk only moves outward. */
function bucketOf(windows: CutoffWindows, day: Day, from: number): number {
  let b = from;
  while (b < allTime && day <= (windows.start[b] ?? 0)) b++;
  return b;
}

function cumulate(values: Float64Array, offset: number): void {
  for (let w = 1; w < windowCount; w++) values[offset + w] = (values[offset + w] ?? 0) + (values[offset + w - 1] ?? 0);
}

const months = (from: Day, to: Day): number => (to - from) / daysPerMonth;

/**
 * Computes every catalogue feature of one contact at one cutoff into `values` (catalogue order).
 * All scratch is allocated once per featurisation; the hot loops touch typed arrays only. Every
 * loop stops at the cutoff: an event dated after it is never read (the point-in-time rule).
 */
export class ContactFeaturiser {
  private readonly count = new Float64Array(giftSliceSlots * windowCount);
  private readonly sum = new Float64Array(giftSliceSlots * windowCount);
  private readonly lastDay = new Int32Array(giftSliceSlots);
  /** Slots that received an event: only those need their windows summed (most stay zero). */
  private readonly giftTouched = new Uint8Array(giftSliceSlots);
  private readonly commTouched = new Uint8Array(communicationSliceSlots + 1);
  private readonly sumSquares = new Float64Array(windowCount);
  private readonly max = new Float64Array(windowCount);
  private readonly givingMonths = new Float64Array(windowCount);
  private readonly december = new Float64Array(windowCount);
  private readonly small = new Float64Array(windowCount * 4);
  private readonly commCount = new Float64Array((communicationSliceSlots + 1) * windowCount);
  private readonly commResponses = new Float64Array((communicationSliceSlots + 1) * windowCount);
  private planAmountScratch = new Float64Array(16);

  constructor(
    private readonly history: ContactHistory,
    private readonly ix: FeatureIndices,
    private readonly customIndices: Int32Array,
  ) {}

  featurise(contact: number, windows: CutoffWindows, values: Float64Array): void {
    values.fill(Number.NaN);
    const gifts = this.history.gifts;
    const first = gifts.start[contact] ?? 0;
    const end = upperBound(gifts.day, first, gifts.start[contact + 1] ?? 0, windows.cutoff);
    this.giftFeatures(first, end, windows, values);
    this.softCreditFeatures(contact, windows, values);
    this.planFeatures(contact, first, end, windows, values);
    this.communicationFeatures(contact, windows, values);
    this.contactFeatures(contact, windows, values);
  }

  private giftFeatures(first: number, end: number, windows: CutoffWindows, values: Float64Array): void {
    const { day, amount, month, type, category, channel } = this.history.gifts;
    const { count, sum, lastDay, sumSquares, max, givingMonths, december } = this;
    count.fill(0);
    sum.fill(0);
    lastDay.fill(noDay);
    const touched = this.giftTouched;
    touched.fill(0);
    touched[0] = 1;
    sumSquares.fill(0);
    max.fill(Number.NEGATIVE_INFINITY);
    givingMonths.fill(0);
    december.fill(0);
    let b = 0;
    let previousMonth = -1;
    let largest = Number.NEGATIVE_INFINITY;
    let largestDay = noDay;
    for (let i = end - 1; i >= first; i--) {
      const d = day[i] ?? 0;
      const a = amount[i] ?? 0;
      b = bucketOf(windows, d, b);
      count[b] = (count[b] ?? 0) + 1;
      sum[b] = (sum[b] ?? 0) + a;
      sumSquares[b] = (sumSquares[b] ?? 0) + a * a;
      if (a > (max[b] ?? 0)) max[b] = a;
      if (a > largest) {
        largest = a;
        largestDay = d;
      }
      const m = month[i] ?? 0;
      if (m !== previousMonth) {
        givingMonths[b] = (givingMonths[b] ?? 0) + 1;
        previousMonth = m;
      }
      if (m % 12 === 11) december[b] = (december[b] ?? 0) + 1;
      const t = type[i] ?? noCode;
      if (t !== noCode) this.addToSlice(typeSliceBase + t, b, a, d);
      const c = category[i] ?? noCode;
      this.addToSlice(categorySliceBase + (c === noCode ? categoryCodes.length : c), b, a, d);
      const h = channel[i] ?? noCode;
      this.addToSlice(channelSliceBase + (h === noCode ? channelCodes.length : h), b, a, d);
    }
    if (end > first) lastDay[0] = day[end - 1] ?? noDay;
    for (let s = 0; s < giftSliceSlots; s++) {
      if (touched[s] === 0) continue;
      cumulate(count, s * windowCount);
      cumulate(sum, s * windowCount);
    }
    cumulate(sumSquares, 0);
    cumulate(givingMonths, 0);
    cumulate(december, 0);
    for (let w = 1; w < windowCount; w++) if ((max[w - 1] ?? 0) > (max[w] ?? 0)) max[w] = max[w - 1] ?? 0;
    this.writeGiftFeatures(first, end, windows, values, largestDay);
  }

  private addToSlice(slot: number, bucket: number, amount: number, day: Day): void {
    const at = slot * windowCount + bucket;
    this.count[at] = (this.count[at] ?? 0) + 1;
    this.sum[at] = (this.sum[at] ?? 0) + amount;
    if (this.lastDay[slot] === noDay) {
      this.lastDay[slot] = day;
      this.giftTouched[slot] = 1;
    }
  }

  private writeGiftFeatures(first: number, end: number, windows: CutoffWindows, values: Float64Array, largestDay: Day): void {
    const { ix, count, sum, sumSquares, max, givingMonths, december, lastDay } = this;
    const { day, amount, month, type, category, channel } = this.history.gifts;
    const cutoff = windows.cutoff;
    for (let w = 0; w < windowCount; w++) {
      const n = count[w] ?? 0;
      const total = sum[w] ?? 0;
      values[ix.giftCount[w] ?? 0] = n;
      values[ix.giftSum[w] ?? 0] = total;
      values[ix.giftMean[w] ?? 0] = n > 0 ? total / n : Number.NaN;
      values[ix.giftMax[w] ?? 0] = n > 0 ? (max[w] ?? 0) : Number.NaN;
      values[ix.givingMonths[w] ?? 0] = givingMonths[w] ?? 0;
      if (n >= 2) {
        const variance = Math.max(0, ((sumSquares[w] ?? 0) - (total * total) / n) / (n - 1));
        const std = Math.sqrt(variance);
        values[ix.amountStd[w] ?? 0] = std;
        values[ix.amountCv[w] ?? 0] = total > 0 ? std / (total / n) : Number.NaN;
      }
    }
    for (let s = 1; s < giftSliceSlots; s++) {
      for (let w = 0; w < windowCount; w++) {
        values[ix.sliceCount[(s - 1) * windowCount + w] ?? 0] = count[s * windowCount + w] ?? 0;
        values[ix.sliceSum[(s - 1) * windowCount + w] ?? 0] = sum[s * windowCount + w] ?? 0;
      }
      const last = lastDay[s] ?? noDay;
      if (last !== noDay) values[ix.sliceRecency[s - 1] ?? 0] = months(last, cutoff);
    }
    const count3 = count[w3] ?? 0;
    const count12 = count[w12] ?? 0;
    const sum3 = sum[w3] ?? 0;
    const sum12 = sum[w12] ?? 0;
    values[ix.countChange3] = 2 * count3 - (count[w6] ?? 0);
    values[ix.countChange12] = 2 * count12 - (count[w24] ?? 0);
    values[ix.sumChange3] = 2 * sum3 - (sum[w6] ?? 0);
    values[ix.sumChange12] = 2 * sum12 - (sum[w24] ?? 0);
    const previous12 = (sum[w24] ?? 0) - sum12;
    values[ix.sumRatio12] = previous12 > 0 ? sum12 / previous12 : Number.NaN;
    values[ix.decemberGifts12] = december[w12] ?? 0;
    const count60 = count[w60] ?? 0;
    const countAll = count[allTime] ?? 0;
    values[ix.decemberShare60] = count60 > 0 ? (december[w60] ?? 0) / count60 : Number.NaN;
    values[ix.decemberShareAll] = countAll > 0 ? (december[allTime] ?? 0) / countAll : Number.NaN;
    if (end <= first) return;
    const last = end - 1;
    const lastAmount = amount[last] ?? 0;
    const meanAll = (sum[allTime] ?? 0) / countAll;
    values[ix.monthsSinceLastGift] = months(day[last] ?? 0, cutoff);
    values[ix.monthsSinceLargestGift] = months(largestDay, cutoff);
    values[ix.lastGiftAmount] = lastAmount;
    values[ix.firstGiftAmount] = amount[first] ?? 0;
    values[ix.lastVsAverage] = meanAll > 0 ? lastAmount / meanAll : Number.NaN;
    values[ix.meanDaysBetween] = countAll >= 2 ? ((day[last] ?? 0) - (day[first] ?? 0)) / (countAll - 1) : Number.NaN;
    values[ix.monthOfLastGift] = (month[last] ?? 0) % 12;
    values[ix.monthsSinceFirstGift] = months(day[first] ?? 0, cutoff);
    const firstChannel = channel[first] ?? noCode;
    const firstCategory = category[first] ?? noCode;
    const firstType = type[first] ?? noCode;
    values[ix.acquisitionChannel] = firstChannel === noCode ? channelCodes.length : firstChannel;
    values[ix.acquisitionCategory] = firstCategory === noCode ? categoryCodes.length : firstCategory;
    values[ix.firstGiftType] = firstType === noCode || firstType >= giftTypeCodes.length ? Number.NaN : firstType;
  }

  private softCreditFeatures(contact: number, windows: CutoffWindows, values: Float64Array): void {
    const credits = this.history.softCredits;
    const first = credits.start[contact] ?? 0;
    const end = upperBound(credits.day, first, credits.start[contact + 1] ?? 0, windows.cutoff);
    const counts = this.small;
    counts.fill(0);
    let b = 0;
    for (let i = end - 1; i >= first; i--) {
      b = bucketOf(windows, credits.day[i] ?? 0, b);
      counts[b] = (counts[b] ?? 0) + 1;
      counts[windowCount + b] = (counts[windowCount + b] ?? 0) + (credits.amount[i] ?? 0);
    }
    cumulate(counts, 0);
    cumulate(counts, windowCount);
    for (let w = 0; w < windowCount; w++) {
      values[this.ix.softCreditCount[w] ?? 0] = counts[w] ?? 0;
      values[this.ix.softCreditSum[w] ?? 0] = counts[windowCount + w] ?? 0;
    }
    if (end > first) values[this.ix.monthsSinceLastSoftCredit] = months(credits.day[end - 1] ?? 0, windows.cutoff);
  }

  private planFeatures(contact: number, giftFirst: number, giftEnd: number, windows: CutoffWindows, values: Float64Array): void {
    const { plans, failures } = this.history;
    const { ix } = this;
    const cutoff = windows.cutoff;
    const firstPlan = plans.start[contact] ?? 0;
    const endPlan = plans.start[contact + 1] ?? 0;
    const counts = this.small;
    counts.fill(0);
    let active = 0;
    let largestAmount = Number.NaN;
    let monthly = 0;
    let monthlyKnown = false;
    let oldestActiveStart = openEnd;
    let newestActive = -1;
    let planMonths = 0;
    let lastEnded = noDay;
    for (let p = firstPlan; p < endPlan; p++) {
      const start = plans.startDay[p] ?? 0;
      if (start > cutoff) break;
      const endDay = plans.endDay[p] ?? openEnd;
      const started = bucketOf(windows, start, 0);
      counts[started] = (counts[started] ?? 0) + 1;
      if (endDay <= cutoff) {
        const ended = bucketOf(windows, endDay, 0);
        counts[windowCount + ended] = (counts[windowCount + ended] ?? 0) + 1;
        if (endDay > lastEnded) lastEnded = endDay;
        planMonths += months(start, endDay);
        continue;
      }
      planMonths += months(start, cutoff);
      active++;
      if (start < oldestActiveStart) oldestActiveStart = start;
      newestActive = p;
      const amount = planAmountAt(this.history, p, contact, cutoff);
      if (!Number.isNaN(amount)) {
        if (Number.isNaN(largestAmount) || amount > largestAmount) largestAmount = amount;
        const frequency = plans.frequency[p] ?? noCode;
        monthly += amount * (frequency === noCode ? 1 : (instalmentsPerMonth[frequency] ?? 1));
        monthlyKnown = true;
      }
    }
    this.countAmountChanges(firstPlan, endPlan, giftFirst, giftEnd, windows, counts);
    for (let s = 0; s < 4; s++) cumulate(counts, s * windowCount);
    for (let w = 0; w < windowCount; w++) {
      values[ix.plansStarted[w] ?? 0] = counts[w] ?? 0;
      values[ix.planEndings[w] ?? 0] = counts[windowCount + w] ?? 0;
      values[ix.planUpgrades[w] ?? 0] = counts[2 * windowCount + w] ?? 0;
      values[ix.planDowngrades[w] ?? 0] = counts[3 * windowCount + w] ?? 0;
    }
    values[ix.activePlans] = active;
    values[ix.currentPlanAmount] = largestAmount;
    values[ix.monthlyPlanAmount] = active === 0 ? 0 : monthlyKnown ? monthly : Number.NaN;
    values[ix.planMonthsAllTime] = planMonths;
    if (newestActive >= 0) {
      const frequency = plans.frequency[newestActive] ?? noCode;
      values[ix.activePlanFrequency] = frequency === noCode ? Number.NaN : frequency;
      values[ix.monthsSincePlanStart] = months(oldestActiveStart, cutoff);
    }
    if (lastEnded !== noDay) values[ix.monthsSincePlanEnded] = months(lastEnded, cutoff);
    this.failureFeatures(contact, windows, values, failures);
  }

  /** Upgrades and downgrades: consecutive instalments of the same plan with a different amount. */
  private countAmountChanges(firstPlan: number, endPlan: number, giftFirst: number, giftEnd: number, windows: CutoffWindows, counts: Float64Array): void {
    const planCount = endPlan - firstPlan;
    if (planCount === 0) return;
    if (this.planAmountScratch.length < planCount) this.planAmountScratch = new Float64Array(planCount * 2);
    const previous = this.planAmountScratch;
    previous.fill(Number.NaN, 0, planCount);
    const gifts = this.history.gifts;
    for (let i = giftFirst; i < giftEnd; i++) {
      const plan = gifts.plan[i] ?? -1;
      if (plan < firstPlan || plan >= endPlan) continue;
      const amount = gifts.amount[i] ?? 0;
      const before = previous[plan - firstPlan] ?? Number.NaN;
      previous[plan - firstPlan] = amount;
      if (Number.isNaN(before) || Math.abs(amount - before) < 0.005) continue;
      const b = bucketOf(windows, gifts.day[i] ?? 0, 0);
      const slot = (amount > before ? 2 : 3) * windowCount + b;
      counts[slot] = (counts[slot] ?? 0) + 1;
    }
  }

  private failureFeatures(contact: number, windows: CutoffWindows, values: Float64Array, failures: ContactHistory['failures']): void {
    const first = failures.start[contact] ?? 0;
    const end = upperBound(failures.day, first, failures.start[contact + 1] ?? 0, windows.cutoff);
    const counts = this.sumSquares;
    counts.fill(0);
    let b = 0;
    for (let i = end - 1; i >= first; i--) {
      b = bucketOf(windows, failures.day[i] ?? 0, b);
      counts[b] = (counts[b] ?? 0) + 1;
    }
    cumulate(counts, 0);
    for (let w = 0; w < windowCount; w++) values[this.ix.paymentFailures[w] ?? 0] = counts[w] ?? 0;
    if (end > first) values[this.ix.monthsSinceLastFailure] = months(failures.day[end - 1] ?? 0, windows.cutoff);
  }

  private communicationFeatures(contact: number, windows: CutoffWindows, values: Float64Array): void {
    const comms = this.history.communications;
    const { ix, commCount, commResponses } = this;
    const first = comms.start[contact] ?? 0;
    const end = upperBound(comms.day, first, comms.start[contact + 1] ?? 0, windows.cutoff);
    commCount.fill(0);
    commResponses.fill(0);
    const touched = this.commTouched;
    touched.fill(0);
    touched[0] = 1;
    const other = this.small;
    other.fill(0);
    let bounces = 0;
    let unsubscribes = 0;
    let declines = 0;
    let lastResponse = noDay;
    let b = 0;
    const categoryBase = 1 + communicationChannelSlices.length;
    for (let i = end - 1; i >= first; i--) {
      const d = comms.day[i] ?? 0;
      b = bucketOf(windows, d, b);
      const response = comms.response[i] ?? noCode;
      const responded = response === responseCode.responded ? 1 : 0;
      const h = comms.channel[i] ?? noCode;
      const c = comms.category[i] ?? noCode;
      const channelSlot = (1 + (h === noCode ? channelCodes.length : h)) * windowCount + b;
      const categorySlot = (categoryBase + (c === noCode ? categoryCodes.length : c)) * windowCount + b;
      commCount[b] = (commCount[b] ?? 0) + 1;
      commCount[channelSlot] = (commCount[channelSlot] ?? 0) + 1;
      touched[(channelSlot - b) / windowCount] = 1;
      touched[(categorySlot - b) / windowCount] = 1;
      commCount[categorySlot] = (commCount[categorySlot] ?? 0) + 1;
      if (responded === 1) {
        commResponses[b] = (commResponses[b] ?? 0) + 1;
        commResponses[channelSlot] = (commResponses[channelSlot] ?? 0) + 1;
        commResponses[categorySlot] = (commResponses[categorySlot] ?? 0) + 1;
        if (lastResponse === noDay) lastResponse = d;
      } else if (response === responseCode.opened) other[b] = (other[b] ?? 0) + 1;
      else if (response === responseCode.clicked) other[windowCount + b] = (other[windowCount + b] ?? 0) + 1;
      else if (response === responseCode.bounced) bounces++;
      else if (response === responseCode.unsubscribed) unsubscribes++;
      else if (response === responseCode.declined) declines++;
    }
    const slots = communicationSliceSlots + 1;
    for (let s = 0; s < slots; s++) {
      if (touched[s] === 0) continue;
      cumulate(commCount, s * windowCount);
      cumulate(commResponses, s * windowCount);
    }
    cumulate(other, 0);
    cumulate(other, windowCount);
    for (let w = 0; w < windowCount; w++) {
      const sent = commCount[w] ?? 0;
      const answered = commResponses[w] ?? 0;
      values[ix.communications[w] ?? 0] = sent;
      values[ix.responses[w] ?? 0] = answered;
      values[ix.responseRate[w] ?? 0] = sent > 0 ? answered / sent : Number.NaN;
      values[ix.emailsOpened[w] ?? 0] = other[w] ?? 0;
      values[ix.emailsClicked[w] ?? 0] = other[windowCount + w] ?? 0;
    }
    for (let s = 1; s < slots; s++) {
      for (let w = 0; w < windowCount; w++) {
        values[ix.communicationSliceCount[(s - 1) * windowCount + w] ?? 0] = commCount[s * windowCount + w] ?? 0;
        values[ix.responseSliceCount[(s - 1) * windowCount + w] ?? 0] = commResponses[s * windowCount + w] ?? 0;
      }
    }
    for (let h = 0; h < communicationChannelSlices.length; h++) {
      const sent = commCount[(1 + h) * windowCount + allTime] ?? 0;
      values[ix.channelResponseRate[h] ?? 0] = sent > 0 ? (commResponses[(1 + h) * windowCount + allTime] ?? 0) / sent : Number.NaN;
    }
    values[ix.bounces] = bounces;
    values[ix.unsubscribes] = unsubscribes;
    values[ix.declines] = declines;
    if (end > first) values[ix.monthsSinceLastCommunication] = months(comms.day[end - 1] ?? 0, windows.cutoff);
    if (lastResponse !== noDay) values[ix.monthsSinceLastResponse] = months(lastResponse, windows.cutoff);
  }

  private contactFeatures(contact: number, windows: CutoffWindows, values: Float64Array): void {
    const h = this.history;
    const { ix } = this;
    const kind = h.kind[contact] ?? noCode;
    const gender = h.gender[contact] ?? noCode;
    const region = h.region[contact] ?? -1;
    const country = h.country[contact] ?? -1;
    const createdOn = h.createdOn[contact] ?? noDay;
    values[ix.contactKind] = kind === noCode ? Number.NaN : kind;
    values[ix.gender] = gender === noCode ? Number.NaN : gender;
    values[ix.region] = region < 0 ? Number.NaN : region;
    values[ix.country] = country < 0 ? Number.NaN : country;
    values[ix.ageAtCutoff] = windows.year - (h.birthYear[contact] ?? Number.NaN);
    // A creation date after the cutoff (a contact seen first through an earlier gift) is the future: not shown.
    if (createdOn !== noDay && createdOn <= windows.cutoff) values[ix.monthsSinceCreated] = months(createdOn, windows.cutoff);
    for (let a = 0; a < this.customIndices.length; a++) values[this.customIndices[a] ?? 0] = h.customAttributes[a]?.values[contact] ?? Number.NaN;
  }
}
