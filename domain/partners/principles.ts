/**
 * The principles a partner attests to during due diligence: the ECOSOC 2003
 * decision as the guide summarises it (Section I: fourteen principles) and the
 * four UNSDG guiding principles. Wording is ours; ids are stable (stored in attestations).
 */
export const PRINCIPLES = [
  { id: 'voluntary', source: 'ECOSOC 2003', title: 'We join of our own free will, and expect to benefit in ways we need' },
  { id: 'transparency', source: 'ECOSOC 2003', title: 'We accept public announcement, registration and regular reporting' },
  { id: 'credibility', source: 'ECOSOC 2003', title: 'We will carry out what we announce and work toward the stated objectives' },
  { id: 'accountability', source: 'ECOSOC 2003', title: 'We will share relevant information with governments and other stakeholders' },
  { id: 'participation', source: 'ECOSOC 2003', title: 'We support open, participatory processes' },
  { id: 'multi-stakeholder', source: 'ECOSOC 2003', title: 'We support a partnership of three or more stakeholders' },
  { id: 'balance', source: 'ECOSOC 2003', title: 'We support sectoral and geographical balance' },
  { id: 'sustainable-development', source: 'ECOSOC 2003', title: 'Our contribution serves the ecological, economic and social pillars of sustainable development' },
  { id: 'capacity-building', source: 'ECOSOC 2003', title: 'We support technology transfer and capacity building in developing countries' },
  { id: 'additional-contribution', source: 'ECOSOC 2003', title: 'Our contribution is genuine, concrete and additional' },
  { id: 'national-priorities', source: 'ECOSOC 2003', title: 'We respect agreed national plans and priorities' },
  { id: 'mandates', source: 'ECOSOC 2003', title: 'We respect inter-governmentally agreed mandates' },
  { id: 'sustained-resources', source: 'ECOSOC 2003', title: 'Our resources are predictable and do not draw funds from other agreed mandates' },
  { id: 'transformation', source: 'ECOSOC 2003', title: 'We aim to change the world toward sustainable development' },
  { id: 'inclusivity', source: 'UNSDG', title: 'Inclusivity, diversity and fair representation of civic space' },
  { id: 'transparency-accountability', source: 'UNSDG', title: 'Transparency and accountability about activities, inputs and results' },
  { id: 'accessibility-safety', source: 'UNSDG', title: 'Safe access to information and to the places where activities happen' },
  { id: 'human-rights', source: 'UNSDG', title: 'Respect for human rights, democracy, the rule of law and sustainability' },
] as const;

export type PrincipleId = (typeof PRINCIPLES)[number]['id'];
export const PRINCIPLE_IDS = PRINCIPLES.map((p) => p.id) as [PrincipleId, ...PrincipleId[]];
