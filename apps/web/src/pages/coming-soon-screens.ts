/** What each not-yet-built screen will do, in words fundraising staff use. */
export interface ComingSoonScreen {
  path: string;
  title: string;
  summary: string;
  plans: readonly string[];
}

export const COMING_SOON_SCREENS: readonly ComingSoonScreen[] = [
  {
    path: '/',
    title: 'Overview',
    summary: 'A single page that shows how your fundraising is going and where your attention is needed most.',
    plans: [
      'Giving trends over time, compared with the same period last year.',
      'Donors who may be about to lapse, and those ready to be asked for more.',
      'How your current campaigns are performing.',
    ],
  },
  {
    path: '/models',
    title: 'Models',
    summary: 'Prediction models that learn from your own giving history to score each donor.',
    plans: [
      'Scores for how likely each donor is to give again, to give more, or to lapse.',
      'A plain-language explanation of what drives each score.',
      'A check of how accurate each model has been before you rely on it.',
    ],
  },
  {
    path: '/donors',
    title: 'Donors',
    summary: 'Find any supporter and see their relationship with your organisation in one place.',
    plans: [
      'Search and filter your donor records.',
      'Each donor’s full giving history and current scores.',
      'Notes on why a donor was flagged, so you can decide what to do next.',
    ],
  },
  {
    path: '/audiences',
    title: 'Audiences',
    summary: 'Groups of donors built from giving history and model scores, kept up to date automatically.',
    plans: [
      'Build an audience by describing who should be in it, such as “monthly donors at risk of lapsing”.',
      'See how many donors match before you use an audience.',
      'Reuse audiences across campaigns.',
    ],
  },
];
