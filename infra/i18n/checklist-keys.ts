/** The catalogue key of a citation's heading: `II.2.A ILO as a partner › Staff` → `a-ilo-as-a-partner-staff`. */
export function headingKey(guideRef: string): string {
  const [section, ...heading] = guideRef.split(' ');
  return `${section!.slice(-1).toLowerCase()}-${heading.join(' ')}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
