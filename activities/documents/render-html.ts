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
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
th{text-align:left;padding-right:1rem;vertical-align:top}li{margin-bottom:.5rem}</style></head>
<body><h1>${escapeHtml(doc.title)}</h1><p><em>${escapeHtml(doc.subtitle)}</em></p><table>${facts}</table>${sections}</body></html>`;
}
