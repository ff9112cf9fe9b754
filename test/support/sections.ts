import type { PhaseId } from '../../domain/partnership/phases';
import type { Services } from '../../api/services';
import { SECTIONS, type SectionId } from '../../domain/partnership/sections';

/** What a partnership could write in each section: the texts the tests' partnerships agree on. */
export const SECTION_TEXTS: Record<SectionId, string> = {
  'issue-context': 'Young people in the two pilot regions leave school without decent work; green jobs are growing but training lags behind.',
  'core-group': 'Champions from the Ministry of Labour, the Chamber of Commerce and the youth network, balanced across government, business and civil society.',
  'governance-outline': 'A steering committee of five partners meets every quarter; two working groups (training, placement); the organisation hosts the secretariat.',
  'resource-outline': 'The pilots need about EUR 400,000: the Chamber of Commerce and a foundation are approached; the workplan ties each tranche to a training cohort.',
  'communication-plan': 'Key message: decent green jobs for young people. Audiences: employers, schools, ministries. Focal points in each partner.',
  'reporting-lines': 'The country office focal point reports monthly to the director and shares a note with the employment department.',
  'own-resources': 'RB staff time covers the first workshops; DC funds are needed for the pilots.',
  'governance-structure': 'A charter signed by all partners; the steering committee decides by consensus; letters of intent with each new partner.',
  'staffing-plan': 'One programme officer at half time, a national coordinator, and a training expert seconded by the Chamber of Commerce.',
};

/** The sections whose items a phase's checklist has: each must be written before its item is ticked. */
export function sectionsOfPhase(phase: PhaseId): SectionId[] {
  return SECTIONS.filter((s) => s.items.some((id) => id.startsWith(`${phase}.`))).map((s) => s.id);
}

/** The JSON a tool PUTs to `/api/partnerships/:id/sections/:sectionId` for a section never written before (version 0). */
export function firstWrite(id: SectionId, by = 'Mona'): { text: string; by: string; version: number } {
  return { text: SECTION_TEXTS[id], by, version: 0 };
}

/** Writes, through the service, the sections of `phase`'s items that are not written yet. */
export async function writeSections(service: Services, id: string, phase: PhaseId, by = 'Mona'): Promise<void> {
  // A partnership run by code from before sections (the upgrade tests' first worker) has none to write, and needs none.
  const written = (await service.partnership.get(id)).sections as Awaited<ReturnType<Services['partnership']['get']>>['sections'] | undefined;
  if (!written) return;
  for (const section of sectionsOfPhase(phase)) {
    const current = written.find((s) => s.id === section);
    if (!current?.text) await service.partnership.writeSection(id, section, { text: SECTION_TEXTS[section], by }, current?.version ?? 0);
  }
}
