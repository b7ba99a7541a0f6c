/**
 * Every number the simulation draws from, in one place: docs/demo-data.md explains them, and the
 * ground truth reads the same values, so the truth is the simulation's own, not a second model.
 * Amounts are in the organisation's currency (GBP for UK layouts, USD for NPSP).
 */
export const acquisitionChannels = ['direct-mail', 'face-to-face', 'digital', 'event'] as const;
export type AcquisitionChannel = (typeof acquisitionChannels)[number];

export const parameters = {
  acquisitionMix: [
    ['direct-mail', 0.35],
    ['face-to-face', 0.2],
    ['digital', 0.3],
    ['event', 0.15],
  ] as const satisfies readonly (readonly [AcquisitionChannel, number])[],
  /** Share of contacts that are organisations (companies, trusts, churches) — none in NPSP layouts. */
  organisationShare: 0.03,
  /** Typical gift size: lognormal. Median 25, a tenth give more than ~100. */
  capacity: { median: 25, sigma: 0.9 },
  /** The capacity tail: mid-level and major-gift prospects multiply their capacity. */
  midLevelProspect: { share: 0.03, multiplierMedian: 10, sigma: 0.5 },
  majorProspect: { share: 0.004, multiplierMedian: 60, sigma: 0.6 },
  /** No one's typical gift exceeds this: keeps a small organisation's largest gifts plausible. */
  maxCapacity: 20_000,
  /** Gift amount around log capacity and log previous gift: log-normal with this spread. */
  giftAmount: { capacityWeight: 0.6, previousWeight: 0.4, sigma: 0.45, minimum: 2 },
  /** Dormancy: a two-state chain stepped every 1 January; dormant contacts rarely respond. */
  dormancy: { toDormantBase: 0.14, affinityEffect: -0.5, wakeUp: 0.22, responseLogit: -2.0, spontaneousFactor: 0.15 },
  /** Response logit = base(campaign) + these terms (see responseLogit). */
  response: {
    affinity: 0.8,
    recencyIntercept: 1.2,
    recencySlope: 0.55,
    neverGaveRecencyMonths: 30,
    frequency: 0.35,
    value: 0.12,
    channelHistory: 0.8,
    channelPreference: 0.6,
    regularGiverPenalty: -0.7,
  },
  /** Unsolicited gifts (online, cheques in the post): monthly rate, seasonal. */
  spontaneous: { monthlyRate: 0.012, affinity: 0.6, seasonal: [1, 0.8, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.9, 1, 1.5, 3.2] as readonly number[] },
  /** Regular giving. Hazards are per monthly collection. */
  regularGiving: {
    faceToFaceAmounts: [[5, 0.15], [8, 0.25], [10, 0.3], [12, 0.1], [15, 0.12], [20, 0.08]] as const,
    frequencies: [['monthly', 0.92], ['quarterly', 0.04], ['yearly', 0.04]] as const,
    failure: 0.03,
    failuresToFail: 3,
    churnFirstYear: { 'face-to-face': 0.045, other: 0.022 },
    churnLater: { 'face-to-face': 0.013, other: 0.009 },
    churnAffinity: -0.5,
    dormantChurnFactor: 2,
    upgradeSteps: [2, 3, 5] as readonly number[],
  },
  /** Deaths: Gompertz, annual probability exp(a + b·age). */
  mortality: { a: -10.4, b: 0.094 },
  /** Bequests: probability of a gift in will on death, log-odds; amount lognormal. */
  bequest: { base: -4.6, affinity: 0.6, loyaltyPerGift: 0.05, ageOver60: 0.03, enquiryFactor: 2.5, medianAmount: 4000, sigma: 1.1, minDelayDays: 120, maxDelayDays: 420 },
  /** Campaign response log-odds before the personal terms. */
  campaignBase: {
    cashMail: -2.9,
    cashEmail: -4.3,
    emergency: 0.7,
    christmas: 0.35,
    newsletter: -4.9,
    rgConversion: -4.2,
    rgUpgrade: -2.6,
    rgReactivation: -3.2,
    giftsInWill: -4.0,
    majorAsk: -1.3,
    event: -5.2,
  },
  /** Email outcomes for people who do not give. */
  email: { opened: 0.24, clicked: 0.04, bounced: 0.01, unsubscribed: 0.003 },
  /** Phone outcomes for people who do not give: reached and said no. */
  phoneDeclined: 0.45,
  /** Segmentation: cash appeals go to donors who gave within this many months … */
  appealRecencyMonths: 48,
  /** … and to a sample of older lapsed donors in the Christmas appeal. */
  deepLapsedChristmasSample: 0.3,
  /** Thresholds the ground truth names. */
  thresholds: { largeGift: 500, midLevel: 1000, majorGift: 10_000 },
  /** Lapsed: no gift of any kind in this many months. */
  lapsedMonths: 24,
  /** Cost of one piece, by channel (for campaign costs). */
  unitCost: { 'Direct Mail': 0.75, Email: 0.01, Phone: 3.5, 'Face-to-Face': 120, 'Digital/Online': 35, Event: 25, SMS: 0.05, Other: 1 } as Readonly<Record<string, number>>,
} as const;
