import { escapeHtml } from './documents/render-html';

/** A plain, accessible email: a greeting, some lines, optionally one button-like link. */
export function composeEmail(opts: {
  greeting: string;
  lines: string[];
  /** A list after the lines, each entry optionally with its own link (a digest's requests). */
  list?: Array<{ text: string; href?: string }>;
  link?: { href: string; label: string };
  footer?: string;
}): { text: string; html: string } {
  const text = [
    opts.greeting,
    '',
    ...opts.lines,
    ...(opts.list ?? []).flatMap((i) => ['', `- ${i.text}`, ...(i.href ? [`  ${i.href}`] : [])]),
    ...(opts.link ? ['', `${opts.link.label}: ${opts.link.href}`] : []),
    ...(opts.footer ? ['', opts.footer] : []),
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(opts.greeting)}</p>
${opts.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
${opts.list?.length ? `<ul>${opts.list.map((i) => `<li>${escapeHtml(i.text)}${i.href ? ` — <a href="${escapeHtml(i.href)}">open this request</a>` : ''}</li>`).join('\n')}</ul>` : ''}
${opts.link ? `<p><a href="${escapeHtml(opts.link.href)}" style="padding:.5rem 1rem;background:#1f4e79;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(opts.link.label)}</a></p>` : ''}
${opts.footer ? `<p style="color:#666;font-size:.9em">${escapeHtml(opts.footer)}</p>` : ''}
</body></html>`;
  return { text, html };
}
