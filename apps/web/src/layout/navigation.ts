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
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: 'Overview', icon: IconLayoutDashboard },
  { path: '/models', label: 'Models', icon: IconChartDots3 },
  { path: '/donors', label: 'Donors', icon: IconUsers },
  { path: '/audiences', label: 'Audiences', icon: IconUsersGroup },
  { path: '/campaigns', label: 'Campaigns', icon: IconSpeakerphone },
  { path: '/imports', label: 'Imports', icon: IconFileImport },
  { path: '/settings', label: 'Settings', icon: IconSettings },
  { path: '/status', label: 'Status', icon: IconActivityHeartbeat },
];
