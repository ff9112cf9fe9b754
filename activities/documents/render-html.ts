import type { DocumentModel } from './content';

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function renderHtml(doc: DocumentModel): string {
  const facts = doc.facts
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  const sections = doc.sections
    .map(
      (s) =>
        `<h2>${escapeHtml(s.heading)}</h2><ul>${s.items
          .map((i) => `<li><strong>${escapeHtml(i.title)}</strong><br>${escapeHtml(i.detail)}</li>`)
          .join('')}</ul>`,
    )
    .join('');
  const charts = (doc.charts ?? []).map((c) => `<h2>${escapeHtml(c.title)}</h2>${svgChart(c)}`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
th{text-align:left;padding-right:1rem;vertical-align:top}li{margin-bottom:.5rem}</style></head>
<body><h1>${escapeHtml(doc.title)}</h1><p><em>${escapeHtml(doc.subtitle)}</em></p><table>${facts}</table>${sections}${charts}</body></html>`;
}

/** A small line chart: values across reviews (blue) against the target (dashed). */
function svgChart(c: NonNullable<DocumentModel['charts']>[number]): string {
  const w = 480;
  const h = 160;
  const pad = 30;
  const max = Math.max(c.target, ...c.points.map((p) => p.value), 1);
  const x = (i: number) => pad + (c.points.length <= 1 ? 0 : (i * (w - 2 * pad)) / (c.points.length - 1));
  const y = (v: number) => h - pad - (v / max) * (h - 2 * pad);
  const line = c.points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  return `<svg width="${w}" height="${h}" role="img" aria-label="${escapeHtml(c.title)}" style="border:1px solid #ddd">
<line x1="${pad}" x2="${w - pad}" y1="${y(c.target).toFixed(1)}" y2="${y(c.target).toFixed(1)}" stroke="#888" stroke-dasharray="4"/>
<polyline fill="none" stroke="#1f4e79" stroke-width="2" points="${line}"/>
${c.points.map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" fill="#1f4e79"/><text x="${x(i).toFixed(1)}" y="${h - 8}" font-size="10" text-anchor="middle">${escapeHtml(p.label)}</text>`).join('')}
</svg>`;
}
