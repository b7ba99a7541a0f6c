import { createRandom } from '../random/seeded-random.js';
import { parameters, type AcquisitionChannel } from '../simulation/simulation-parameters.js';
import { dayOf, type Day } from '../simulation/day-numbers.js';
import { organisationName, personalDetails, type Locale, type PersonalDetails } from './personal-details.js';

/** A supporter's fixed traits: what the simulation knows and the CRM export never shows. */
export interface DemoContact {
  readonly index: number;
  readonly kind: 'individual' | 'organisation';
  readonly organisationName: string;
  readonly person: PersonalDetails;
  readonly birthYear: number;
  /** Recorded for two in five individuals, as in most charity databases. */
  readonly dateOfBirth: Day | undefined;
  readonly acquisitionDay: Day;
  readonly acquisitionChannel: AcquisitionChannel;
  /** Latent warmth towards the cause: standard normal. */
  readonly affinity: number;
  /** Typical gift size (median of the amount distribution before history). */
  readonly capacity: number;
  /** 0 = only post, 1 = only online; older supporters lean to post. */
  readonly digital: number;
  /** Log-odds of leaving a gift in the will, before enquiries. */
  readonly bequestLogit: number;
  readonly hasEmail: boolean;
  readonly hasPhone: boolean;
  readonly doNotMail: boolean;
  readonly doNotEmail: boolean;
  readonly doNotPhone: boolean;
  readonly noAddress: boolean;
}

export interface PopulationWindow {
  readonly firstDay: Day;
  readonly lastDay: Day;
  readonly locale: Locale;
  readonly allowOrganisations: boolean;
}

const logNormal = (median: number, sigma: number, z: number): number => median * Math.exp(sigma * z);

function capacityOf(random: ReturnType<typeof createRandom>): number {
  const { capacity, midLevelProspect, majorProspect } = parameters;
  let value = logNormal(capacity.median, capacity.sigma, random.normal());
  const tail = random.next();
  if (tail < majorProspect.share) value *= logNormal(majorProspect.multiplierMedian, majorProspect.sigma, random.normal());
  else if (tail < majorProspect.share + midLevelProspect.share) value *= logNormal(midLevelProspect.multiplierMedian, midLevelProspect.sigma, random.normal());
  return Math.min(parameters.maxCapacity, value);
}

/** Acquisition grows over the years (later cohorts are bigger), as most databases do. */
function acquisitionDayOf(window: PopulationWindow, random: ReturnType<typeof createRandom>): Day {
  const span = window.lastDay - 30 - window.firstDay;
  return window.firstDay + Math.floor(span * Math.sqrt(random.next()));
}

/** Draws contact `index`; the same seed and index always give the same contact. */
export function drawContact(index: number, seed: string | number, window: PopulationWindow): DemoContact {
  const random = createRandom(seed, 'population', index);
  const acquisitionChannel = random.weighted(parameters.acquisitionMix);
  const kind = window.allowOrganisations && acquisitionChannel !== 'face-to-face' && random.chance(parameters.organisationShare) ? 'organisation' : 'individual';
  const birthYear = Math.round(Math.min(2004, Math.max(1926, 1962 + 16 * random.normal() + (acquisitionChannel === 'digital' ? 14 : acquisitionChannel === 'face-to-face' ? 10 : 0))));
  const digital = 1 / (1 + Math.exp(-((birthYear - 1968) / 9 + (acquisitionChannel === 'digital' ? 1.2 : 0))));
  const affinity = random.normal();
  const hasEmail = random.chance(0.35 + 0.6 * digital);
  return {
    index,
    kind,
    organisationName: kind === 'organisation' ? organisationName(random) : '',
    person: personalDetails(window.locale, random),
    birthYear,
    dateOfBirth: kind === 'individual' && random.chance(0.4) ? dayOf(birthYear, 1, 1) + random.int(365) : undefined,
    acquisitionDay: acquisitionDayOf(window, random),
    acquisitionChannel,
    affinity,
    capacity: Math.min(parameters.maxCapacity, capacityOf(random) * (kind === 'organisation' ? 4 : 1)),
    digital,
    bequestLogit: parameters.bequest.base + parameters.bequest.affinity * affinity + (kind === 'organisation' ? -20 : 0),
    hasEmail,
    hasPhone: random.chance(0.7),
    doNotMail: random.chance(0.05),
    doNotEmail: hasEmail && random.chance(0.12),
    doNotPhone: random.chance(0.22),
    noAddress: random.chance(0.02),
  };
}
