import { civicrmPreset } from './civicrm-preset.js';
import { donorfyPreset } from './donorfy-preset.js';
import { dynamicsPreset } from './dynamics-preset.js';
import { genericPreset } from './generic-preset.js';
import { npspPreset } from './npsp-preset.js';
import type { ImportPreset, ImportPresetId } from './preset-types.js';
import { reNxtPreset } from './re-nxt-preset.js';

/** Every CRM an import knows by layout; the mapping step offers them by name. */
export const importPresets: readonly ImportPreset[] = [genericPreset, npspPreset, reNxtPreset, dynamicsPreset, donorfyPreset, civicrmPreset];

export function importPresetNamed(id: ImportPresetId): ImportPreset {
  const preset = importPresets.find((candidate) => candidate.id === id);
  if (preset === undefined) throw new Error(`no import preset ${id}`);
  return preset;
}
