import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SectionId, SectionView, SectionWrite } from '../../domain/partnership/sections';
import type { ExpectedVersion } from '../../domain/versions';

/** What a partnership tells the work it started when it closes: when, and why, in a sentence kept on the record. */
export interface PartnershipClosed {
  at: string;
  reason: string;
}

/**
 * Sent by a partnership that closes (an approved "exit") to each onboarding,
 * review and financial channel it started that is still open (patch
 * `open-work-closes-with-partnership`): they stop taking answers at once, end,
 * and report nothing back to the closed partnership. A stable name: running
 * children receive it by this name.
 */
export const partnershipClosedSignal = defineSignal<[PartnershipClosed]>('partnershipClosed');

/**
 * Writes one of the partnership's sections whole (domain/partnership/sections.ts),
 * from the version its writer read (`expectedVersion`, required: 428 without,
 * 409 when someone wrote it since). Answers the section with its new version.
 */
export const writeSectionUpdate = defineUpdate<SectionView, [{ sectionId: SectionId } & SectionWrite & ExpectedVersion]>('writeSection');
