import { can, isRole, type Action } from '@kindling/access';
import {
  IconActivityHeartbeat,
  IconChartDots3,
  IconFileImport,
  IconLayoutDashboard,
  IconSettings,
  IconSpeakerphone,
  IconUsers,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';

export interface NavItem {
  path: string;
  label: string;
  icon: Icon;
  /** Shown only to roles that may do this; the screen itself explains a refusal to anyone who follows a link. */
  requires?: Action;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: 'Overview', icon: IconLayoutDashboard },
  { path: '/models', label: 'Models', icon: IconChartDots3 },
  { path: '/donors', label: 'Donors', icon: IconUsers },
  { path: '/audiences', label: 'Audiences', icon: IconUsersGroup },
  { path: '/campaigns', label: 'Campaigns', icon: IconSpeakerphone },
  { path: '/imports', label: 'Imports', icon: IconFileImport },
  { path: '/settings', label: 'Settings', icon: IconSettings, requires: 'settings.manage' },
  { path: '/status', label: 'Status', icon: IconActivityHeartbeat },
];

/** The navigation for someone holding `role` in the current organisation (null: none). */
export function navItemsFor(role: string | null): NavItem[] {
  return NAV_ITEMS.filter((item) => item.requires === undefined || (isRole(role) && can(role, item.requires)));
}
