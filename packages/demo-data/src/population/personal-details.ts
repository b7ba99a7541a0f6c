import type { Random } from '../random/seeded-random.js';

/** Where the demo organisation is: UK layouts get UK people, the NPSP layout a US organisation. */
export type Locale = 'uk' | 'us';

export interface PersonalDetails {
  readonly givenNames: string;
  readonly familyName: string;
  readonly gender: 'female' | 'male' | 'unknown';
  readonly email: string;
  readonly phone: string;
  readonly addressLine: string;
  readonly town: string;
  readonly region: string;
  readonly postcode: string;
  readonly country: string;
}

const femaleNames = ['Olivia', 'Amelia', 'Emily', 'Sophie', 'Grace', 'Margaret', 'Susan', 'Helen', 'Sarah', 'Patricia', 'Jennifer', 'Elizabeth', 'Ruth', 'Joan', 'Alice', 'Hannah', 'Priya', 'Aisha', 'Fatima', 'Mei', 'Chloe', 'Jessica', 'Laura', 'Karen', 'Mary', 'Anne', 'Rachel', 'Zoe', 'Nia', 'Isla'];
const maleNames = ['Oliver', 'George', 'Harry', 'James', 'William', 'John', 'David', 'Michael', 'Robert', 'Peter', 'Richard', 'Thomas', 'Daniel', 'Samuel', 'Mohammed', 'Arjun', 'Kwame', 'Wei', 'Liam', 'Noah', 'Jack', 'Christopher', 'Andrew', 'Mark', 'Paul', 'Stephen', 'Gareth', 'Callum', 'Rhys', 'Owen'];
const familyNames = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Patel', 'Khan', 'Lewis', 'Hughes', 'Edwards', 'Okafor', 'Nguyen', 'Campbell', 'Murphy', "O'Brien", 'Kelly', 'Martin', 'Garcia', 'Miller', 'Anderson', 'Chen', 'Singh', 'Ahmed', 'Morgan', 'Price'];
const streetNames = ['High', 'Church', 'Station', 'Victoria', 'Park', 'Mill', 'Queen', 'King', 'Chapel', 'Manor', 'Oak', 'Elm', 'Meadow', 'Orchard', 'Willow', 'Springfield', 'Grange', 'Main', 'Cedar', 'Lake'];
const ukStreetTypes = ['Street', 'Road', 'Lane', 'Close', 'Avenue', 'Gardens', 'Way', 'Crescent'];
const usStreetTypes = ['Street', 'Avenue', 'Road', 'Drive', 'Lane', 'Boulevard', 'Court', 'Way'];

/** Real postcode areas with a district range, town and county: outward codes that exist. */
const ukPlaces: readonly (readonly [area: string, maxDistrict: number, town: string, county: string])[] = [
  ['M', 40, 'Manchester', 'Greater Manchester'], ['B', 40, 'Birmingham', 'West Midlands'], ['LS', 29, 'Leeds', 'West Yorkshire'],
  ['BS', 41, 'Bristol', 'Bristol'], ['NE', 40, 'Newcastle upon Tyne', 'Tyne and Wear'], ['L', 38, 'Liverpool', 'Merseyside'],
  ['S', 36, 'Sheffield', 'South Yorkshire'], ['NG', 25, 'Nottingham', 'Nottinghamshire'], ['OX', 29, 'Oxford', 'Oxfordshire'],
  ['CB', 25, 'Cambridge', 'Cambridgeshire'], ['EX', 39, 'Exeter', 'Devon'], ['NR', 35, 'Norwich', 'Norfolk'], ['CF', 48, 'Cardiff', 'South Glamorgan'],
  ['EH', 55, 'Edinburgh', 'Midlothian'], ['G', 84, 'Glasgow', 'Lanarkshire'], ['BT', 49, 'Belfast', 'County Antrim'], ['YO', 25, 'York', 'North Yorkshire'],
  ['BN', 45, 'Brighton', 'East Sussex'], ['N', 22, 'London', 'Greater London'], ['SE', 28, 'London', 'Greater London'],
];
const usPlaces: readonly (readonly [zipPrefix: string, town: string, state: string])[] = [
  ['100', 'New York', 'NY'], ['606', 'Chicago', 'IL'], ['941', 'San Francisco', 'CA'], ['900', 'Los Angeles', 'CA'], ['021', 'Boston', 'MA'],
  ['981', 'Seattle', 'WA'], ['787', 'Austin', 'TX'], ['303', 'Atlanta', 'GA'], ['802', 'Denver', 'CO'], ['191', 'Philadelphia', 'PA'],
  ['554', 'Minneapolis', 'MN'], ['972', 'Portland', 'OR'], ['372', 'Nashville', 'TN'], ['200', 'Washington', 'DC'], ['631', 'St. Louis', 'MO'],
];
const emailDomains = ['example.org', 'example.com', 'example.net'];
const inwardLetters = 'ABDEFGHJLNPQRSTUWXYZ';

function ukPostcode(random: Random): { postcode: string; town: string; county: string } {
  const [area, maxDistrict, town, county] = random.pick(ukPlaces);
  const inward = `${String(random.int(10))}${inwardLetters.charAt(random.int(inwardLetters.length))}${inwardLetters.charAt(random.int(inwardLetters.length))}`;
  return { postcode: `${area}${String(1 + random.int(maxDistrict))} ${inward}`, town, county };
}

/** Fictional numbers only: Ofcom's drama range 07700 900000–900999 and the US 555-0100–0199 block. */
function phoneNumber(locale: Locale, random: Random): string {
  return locale === 'uk' ? `07700 900${String(random.int(1000)).padStart(3, '0')}` : `(${String(200 + random.int(800))}) 555-01${String(random.int(100)).padStart(2, '0')}`;
}

function emailOf(givenNames: string, familyName: string, random: Random): string {
  const local = `${givenNames}.${familyName}`.toLowerCase().replaceAll(/[^a-z.]/gu, '');
  const number = random.chance(0.6) ? String(random.int(100)) : '';
  return `${local}${number}@${random.pick(emailDomains)}`;
}

export function personalDetails(locale: Locale, random: Random): PersonalDetails {
  const gender = random.weighted([['female', 0.52], ['male', 0.45], ['unknown', 0.03]] as const);
  const givenNames = random.pick(gender === 'male' ? maleNames : gender === 'female' ? femaleNames : [...femaleNames, ...maleNames]);
  const familyName = random.pick(familyNames);
  const street = `${String(1 + random.int(180))} ${random.pick(streetNames)} ${random.pick(locale === 'uk' ? ukStreetTypes : usStreetTypes)}`;
  const common = { givenNames, familyName, gender, email: emailOf(givenNames, familyName, random), phone: phoneNumber(locale, random), addressLine: street };
  if (locale === 'uk') {
    const place = ukPostcode(random);
    return { ...common, town: place.town, region: place.county, postcode: place.postcode, country: 'United Kingdom' };
  }
  const [zipPrefix, town, state] = random.pick(usPlaces);
  return { ...common, town, region: state, postcode: `${zipPrefix}${String(random.int(100)).padStart(2, '0')}`, country: 'United States' };
}

const organisationWords = ['Riverside', 'Northgate', 'St Mary', 'Harbour', 'Greenfield', 'Oakwood', 'Hillview', 'Westbrook'];
const organisationKinds = ['Rotary Club', 'Parish Church', 'Primary School', 'Charitable Trust', 'Engineering Ltd', 'Community Foundation', 'Lodge', 'Building Society'];

export function organisationName(random: Random): string {
  return `${random.pick(organisationWords)} ${random.pick(organisationKinds)}`;
}
