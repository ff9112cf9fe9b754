import { completeItem } from '../../domain/partnership/checklist';
import { initialState, type PartnershipState } from '../../domain/partnership/state';
import { applyPartnerStatus, upsertStakeholder } from '../../domain/partners/partner-map';
import { StakeholderInputSchema } from '../../domain/partners/schemas';
import { writeSection } from '../../domain/partnership/sections';
import { partnershipInput } from './fixtures';

/** A partnership written in four scripts, as issue 12 tried it: Cyrillic, Han, Arabic and Latin with ligature letters. */
export const MULTISCRIPT = {
  title: 'Партнёрство «Зелёные рабочие места» 绿色就业 شراكة',
  manager: { name: 'Мария Иванова', email: 'maria@example.org' },
  approver: { name: 'ليلى حداد', email: 'layla@example.org' },
  secondApprover: { name: '李明', email: 'liming@example.org' },
  organisations: ['وزارة العمل', '劳动部', 'Министерство труда', 'Œuvre Sociale'],
  /** A note far wider than a page, with no spaces in its long words: it must wrap, not run off the edge. */
  longNote:
    'Consultations bilatérales avec les ministères, les syndicats et les employeurs des deux régions pilotes ; ' +
    'référence‑de‑dossier‑MSP‑2026‑GREEN‑JOBS‑PILOT‑REGIONS‑NORTH‑AND‑SOUTH‑WITHOUT‑ANY‑SPACE‑TO‑BREAK‑AT ' +
    'et synthèse partagée avec le noyau de champions avant l’atelier élargi.',
  /** A section's text (the issue and its context), one paragraph per script, as `withSections` writes it. */
  issue:
    'Les jeunes des régions pilotes quittent l’école sans emploi décent.\n\n' +
    '试点地区的青年离校后找不到体面的工作。\n\n' +
    'يغادر الشباب في المناطق التجريبية المدرسة دون عمل لائق.\n\n' +
    'Молодёжь пилотных регионов остаётся без достойной работы.',
  governance: 'Comité de pilotage trimestriel ; le secrétariat est accueilli par l’organisation.',
};

/** The partnership at its initiating gate: four stakeholders in four scripts, two in the core group, notes, a decision. */
/** The partnership with two sections written (domain/partnership/sections.ts), the first in four scripts. */
export function withSections(state: PartnershipState): PartnershipState {
  const at = '2026-11-29T09:00:00Z';
  writeSection(state, 'issue-context', { text: MULTISCRIPT.issue, sdgTargets: ['8.6', '8.b'], by: MULTISCRIPT.manager.name, expectedVersion: 0 }, at);
  writeSection(state, 'governance-outline', { text: MULTISCRIPT.governance, by: MULTISCRIPT.manager.name, expectedVersion: 0 }, at);
  return state;
}

export function multiscriptPartnership(language?: string): PartnershipState {
  const at = '2026-11-29T10:00:00Z';
  const state = initialState(
    'msp-zelenye-rabochie-mesta',
    partnershipInput({
      title: MULTISCRIPT.title,
      goal: 'Créer des emplois verts décents pour les jeunes — 为青年创造体面的绿色就业 — توفير وظائف خضراء لائقة',
      manager: MULTISCRIPT.manager,
      approvers: [MULTISCRIPT.approver, MULTISCRIPT.secondApprover],
      ...(language ? { language } : {}),
    }),
    at,
  );
  const groups = ['government', 'government', 'government', 'civil-society'] as const;
  MULTISCRIPT.organisations.forEach((organisation, i) => {
    const s = upsertStakeholder(
      state,
      StakeholderInputSchema.parse({
        organisation,
        group: groups[i],
        whyEngage: `${organisation}: ${MULTISCRIPT.longNote}`,
        potentialRoles: ['activity lead'],
        engagementStrategy: 'Bilateral meeting, then the core-group workshop',
        coreGroup: i % 2 === 0,
      }),
      at,
    );
    applyPartnerStatus(state, s.id, i < 2 ? 'active' : 'mapped', at);
  });
  completeItem(state, 'initiating.issues-context.context-understood', { by: MULTISCRIPT.manager.name, note: MULTISCRIPT.longNote }, at);
  completeItem(state, 'initiating.governance.basic-agreement', { by: MULTISCRIPT.manager.name, note: 'Comité de pilotage trimestriel — 指导委员会 — لجنة توجيهية' }, at);
  state.decisions.push({ taskId: 't1', kind: 'advance', cycle: 1, fromPhase: 'initiating', toPhase: 'adaptive-planning', outcome: 'approved', by: MULTISCRIPT.approver.name, at, comment: 'موافقة' });
  return state;
}
