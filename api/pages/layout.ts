import type { Request } from 'express';
import { escapeHtml } from '../../activities/documents/render-html';

/** The shell of every page we serve to people. Everything interpolated is escaped by the callers' use of `escapeHtml`. */
export function page(title: string, bodyHtml: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)} · MSP Orchestrator</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
h1{font-size:1.4rem}textarea{width:100%;min-height:6rem}button{padding:.5rem 1.2rem;margin-right:.5rem;font-size:1rem}
.approve{background:#1d6b35;color:#fff;border:0}.reject{background:#8b1c1c;color:#fff;border:0}
.box{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}dt{font-weight:600}</style></head>
<body>${bodyHtml}</body></html>`;
}

export function renderMessagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** Link pages answer tools (JSON) as well as browsers (HTML). */
export function wantsJson(req: Request): boolean {
  return Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';
}
