import type { IconName } from '@blueprintjs/icons';
import type { Screen } from '../../../shared/roles';

export interface ScreenMeta {
  label: string;
  icon: IconName;
  /** Fixed per screen (not per position) so the same key means the same screen for every role. */
  combo: string;
}

export const SCREEN_META: Readonly<Record<Screen, ScreenMeta>> = {
  queue: { label: 'Queue', icon: 'inbox', combo: 'ctrl+1' },
  approvals: { label: 'Approvals', icon: 'confirm', combo: 'ctrl+6' },
  qa: { label: 'QA review', icon: 'endorsed', combo: 'ctrl+2' },
  sops: { label: 'SOPs', icon: 'manual', combo: 'ctrl+3' },
  dashboard: { label: 'Dashboard', icon: 'dashboard', combo: 'ctrl+4' },
  settings: { label: 'Settings', icon: 'cog', combo: 'ctrl+5' },
};
