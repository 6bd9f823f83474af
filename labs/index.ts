import { apiSecurityLab } from './api-security/lab.ts';
import type { LabDefinition } from './lab.ts';

export const LABS: LabDefinition[] = [apiSecurityLab];

export function findLab(name: string): LabDefinition | undefined {
  return LABS.find((lab) => lab.name === name);
}
