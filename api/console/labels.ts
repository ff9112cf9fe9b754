import { DIMENSIONS, PHASES, type DimensionId, type PhaseId } from '../../domain/phases';
import type { StakeholderGroup, PartnerStatus } from '../../domain/stakeholders';
import { DRIVERS, ORGANISATION_ROLES } from '../../domain/schemas';

/** Words for the ids the API uses: people read "Policy alignment and advocacy", not `policy-alignment-advocacy`. */
export const DRIVER_LABELS: Record<(typeof DRIVERS)[number], string> = {
  'policy-alignment-advocacy': 'Policy alignment and advocacy',
  'knowledge-research-technical-support': 'Knowledge, research and technical support',
  'country-delivery-project-implementation': 'Country delivery and project implementation',
  'resource-mobilisation': 'Resource mobilisation',
};

export const ROLE_LABELS: Record<(typeof ORGANISATION_ROLES)[number], string> = {
  initiator: 'Initiator',
  convener: 'Convener',
  lead: 'Lead',
  founder: 'Founder',
  'co-founder': 'Co-founder',
  'secretariat-host': 'Secretariat host',
  member: 'Member',
};

export const GROUP_LABELS: Record<StakeholderGroup, string> = {
  government: 'Government',
  'civil-society': 'Civil society',
  'private-sector': 'Private sector',
  'un-multilateral': 'UN and multilateral',
  'employers-organisation': "Employers' organisation",
  'workers-organisation': "Workers' organisation",
  other: 'Other',
};

export const PARTNER_STATUS_LABELS: Record<PartnerStatus, string> = {
  mapped: 'Mapped',
  invited: 'Invited',
  active: 'Active partner',
  declined: 'Declined',
  rejected: 'Not approved',
  expired: 'Invitation expired',
  withdrawn: 'Withdrawn',
};

export const STATUS_LABELS: Record<string, string> = {
  active: 'Active',
  'awaiting-approval': 'Awaiting approval',
  closed: 'Closed',
  terminated: 'Ended by an operator',
  failed: 'Failed',
  'timed-out': 'Timed out',
  cancelled: 'Cancelled',
};

/** Any id the console shows, in words; an unknown id is shown as it is. */
export function label(kind: 'driver' | 'role' | 'group' | 'phase' | 'dimension' | 'status' | 'partnerStatus', id: string | null | undefined): string {
  if (!id) return '';
  const table: Record<string, string> =
    kind === 'driver'
      ? DRIVER_LABELS
      : kind === 'role'
        ? ROLE_LABELS
        : kind === 'group'
          ? GROUP_LABELS
          : kind === 'status'
            ? STATUS_LABELS
            : kind === 'partnerStatus'
              ? PARTNER_STATUS_LABELS
              : kind === 'phase'
                ? Object.fromEntries(PHASES.map((p) => [p.id, p.label]))
                : Object.fromEntries(DIMENSIONS.map((d) => [d.id, d.label]));
  return table[id] ?? id;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "3 March 2027, 14:05 UTC": dates as people write them, with the zone named (the viewer's own zone is not known without JavaScript). */
export function utcDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

export type { DimensionId, PhaseId };
