import type { ReviewAnswerInput } from '../../domain/reviews/review';
import { StakeholderInputSchema } from '../../domain/partners/schemas';
import type { StakeholderGroup } from '../../domain/partners/stakeholders';

/**
 * Sixty member organisations of a made-up global alliance against forced and
 * child labour, shaped like the real ones: long official names, several
 * scripts, apostrophes, bodies of one ministry that share their first 60
 * characters, names that differ only after a bracket. Contacts are numbered so
 * their addresses never depend on how a name is turned into an id.
 */
const MEMBERS: Array<[organisation: string, group: StakeholderGroup]> = [
  ["United Nations Children's Fund (UNICEF)", 'un-multilateral'],
  ['International Labour Organization — Fundamental Principles and Rights at Work Branch', 'un-multilateral'],
  ['Food and Agriculture Organization of the United Nations (FAO)', 'un-multilateral'],
  ['International Organization for Migration (IOM)', 'un-multilateral'],
  ['Office of the United Nations High Commissioner for Human Rights', 'un-multilateral'],
  ['United Nations Office on Drugs and Crime (UNODC)', 'un-multilateral'],
  ['Organisation for Economic Co-operation and Development (OECD)', 'un-multilateral'],
  ['African Union Commission — Department of Health, Humanitarian Affairs and Social Development', 'un-multilateral'],
  ["Ministère du Travail, de l'Emploi et de la Protection sociale — Direction générale du travail", 'government'],
  ["Ministère du Travail, de l'Emploi et de la Protection sociale — Inspection générale du travail", 'government'],
  ["Ministère de l'Emploi et de la Protection sociale (Côte d'Ivoire)", 'government'],
  ["Ministère de la Femme, de la Famille et de l'Enfant (Côte d'Ivoire)", 'government'],
  ['Министерство труда и социальной защиты Российской Федерации', 'government'],
  ['Министерство труда и социальной защиты населения Республики Узбекистан', 'government'],
  ['Министерство труда', 'government'],
  ['劳动部', 'government'],
  ['中华人民共和国人力资源和社会保障部', 'government'],
  ['وزارة العمل', 'government'],
  ['وزارة الشؤون الاجتماعية (Tunisie)', 'government'],
  ['وزارة التكوين المهني والتشغيل (Tunisie)', 'government'],
  ['Bộ Lao động - Thương binh và Xã hội', 'government'],
  ['श्रम एवं रोजगार मंत्रालय, भारत सरकार', 'government'],
  ['Ministerio de Trabajo, Empleo y Seguridad Social de la República Argentina', 'government'],
  ['Ministério do Trabalho e Emprego do Brasil — Secretaria de Inspeção do Trabalho', 'government'],
  ['Υπουργείο Εργασίας και Κοινωνικής Ασφάλισης', 'government'],
  ['Department of Labour and Employment, Republic of the Philippines', 'government'],
  ["Ministry of Labour and Employment of Nepal — Children's Affairs Division", 'government'],
  ['Ministère de la Fonction Publique, du Travail et du Dialogue Social (Madagascar)', 'government'],
  ['International Trade Union Confederation (ITUC)', 'workers-organisation'],
  ["Building and Wood Workers' International", 'workers-organisation'],
  ["International Union of Food, Agricultural, Hotel, Restaurant, Catering, Tobacco and Allied Workers' Associations", 'workers-organisation'],
  ['Education International', 'workers-organisation'],
  ['Confédération Générale des Travailleurs de Côte d\'Ivoire', 'workers-organisation'],
  ['Всеобщая конфедерация профсоюзов', 'workers-organisation'],
  ['中华全国总工会', 'workers-organisation'],
  ['الاتحاد العام التونسي للشغل', 'workers-organisation'],
  ['International Organisation of Employers (IOE)', 'employers-organisation'],
  ['Business Africa — Confederation of African Employers', 'employers-organisation'],
  ["Conseil National du Patronat Ivoirien (employers' federation)", 'employers-organisation'],
  ['Российский союз промышленников и предпринимателей', 'employers-organisation'],
  ['Global Business Coalition against Trafficking', 'private-sector'],
  ["World Cocoa Foundation — Children's Learning and Education Programme", 'private-sector'],
  ['Responsible Business Alliance', 'private-sector'],
  ['Fair Labor Association', 'private-sector'],
  ['Œuvre pour la protection de l\'enfance au travail', 'civil-society'],
  ['Anti-Slavery International', 'civil-society'],
  ['Global March Against Child Labour', 'civil-society'],
  ['Save the Children International', 'civil-society'],
  ["Terre des Hommes International Federation", 'civil-society'],
  ['Walk Free', 'civil-society'],
  ['Stop Child Labour Coalition', 'civil-society'],
  ['Kailash Satyarthi Children’s Foundation', 'civil-society'],
  ['International Cocoa Initiative', 'civil-society'],
  ['Associação Brasileira de Defesa da Criança e do Adolescente', 'civil-society'],
  ['Ассоциация защиты прав детей', 'civil-society'],
  ['جمعية حماية الطفولة', 'civil-society'],
  ['童工问题研究中心', 'civil-society'],
  ['Trung tâm Nghiên cứu và Phát triển Cộng đồng', 'civil-society'],
  ['Global Partnership for Education', 'other'],
  ['Fundación Telefónica', 'private-sector'],
];

export interface AllianceMember {
  organisation: string;
  group: StakeholderGroup;
  contact: { name: string; email: string };
}

function member(organisation: string, group: StakeholderGroup, i: number): AllianceMember {
  return { organisation, group, contact: { name: `Focal point ${i + 1} — ${organisation.slice(0, 40)}`, email: `member-${i + 1}@alliance.example.org` } };
}

export function allianceMembers(count = MEMBERS.length): AllianceMember[] {
  if (count > MEMBERS.length) throw new Error(`the alliance fixture has ${MEMBERS.length} members, not ${count}`);
  return MEMBERS.slice(0, count).map(([organisation, group], i) => member(organisation, group, i));
}

/** "Regional office" in the scripts of the fixture, one of them with an apostrophe; cycled so a name and its suffix rarely share a script. */
const REGIONAL_OFFICE: Array<(n: number) => string> = [
  (n) => `regional office ${n}`,
  (n) => `bureau régional n° ${n}`,
  (n) => `региональное отделение № ${n}`,
  (n) => `区域办事处 第${n}号`,
  (n) => `المكتب الإقليمي رقم ${n}`,
  (n) => `văn phòng khu vực số ${n}`,
  (n) => `क्षेत्रीय कार्यालय ${n}`,
  (n) => `l'antenne régionale ${n}`,
];

/**
 * The alliance at any size, for the benchmark: the sixty members, then their
 * regional offices ("… — региональное отделение № 2"), so every name stays
 * long, real-looking, multi-script and distinct, and the same count always
 * gives the same members. Contacts keep the fixture's numbering.
 */
export function allianceWithRegionalOffices(count: number): AllianceMember[] {
  const members = Array.from({ length: count }, (_, i) => {
    const [base, group] = MEMBERS[i % MEMBERS.length];
    const round = Math.floor(i / MEMBERS.length);
    const organisation = round === 0 ? base : `${base} — ${REGIONAL_OFFICE[(i + round) % REGIONAL_OFFICE.length](round + 1)}`;
    return member(organisation, group, i);
  });
  const names = new Set(members.map((m) => m.organisation));
  if (names.size !== count) throw new Error('regional office names collided; change the suffixes');
  const tooLong = members.find((m) => m.organisation.length > 200);
  if (tooLong) throw new Error(`"${tooLong.organisation}" is longer than the 200 characters an organisation name may have`);
  return members;
}

/** How a member is put on the stakeholder map (the same for the test and the benchmark). */
export function allianceStakeholderInput(m: AllianceMember) {
  return StakeholderInputSchema.parse({
    organisation: m.organisation,
    group: m.group,
    whyEngage: 'Member of the alliance with programmes in the pilot countries',
    potentialRoles: ['working group member'],
    engagementStrategy: 'Alliance plenary, then bilateral follow-up',
    contact: m.contact,
  });
}

/** A member's review answer: the first four report the activity's indicator (the ones the roadmap asks them). */
export function allianceReviewAnswer(m: AllianceMember, i: number): ReviewAnswerInput {
  return {
    email: m.contact.email,
    values: i < 4 ? { 'child-labour-free-zones/0': String(40 + i) } : ({} as Record<string, string>),
    treatedFairly: 4,
    importantIssuesDiscussed: 4,
    feedbackOnOrganisation: `Answer ${i + 1}: clear minutes, slow contracts`,
    learning: 'Local committees make the zones work',
  };
}
