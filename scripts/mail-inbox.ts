import { createServer, type Server } from 'node:http';
import { escapeHtml } from '../activities/documents/render-html';
import { startMailSink, type MailSink } from '../infra/mail-sink';

/**
 * The development inbox: a real SMTP server (default :1025) and a browser
 * view of what it received (default :8025), so a person can open an approval
 * email and click its link. Mail is kept in memory until the process stops.
 */
export async function startMailInbox(smtpPort: number, httpPort: number): Promise<{ sink: MailSink; http: Server }> {
  const sink = await startMailSink({ port: smtpPort });
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/messages') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(sink.messages));
      return;
    }
    const id = /^\/messages\/(\d+)$/.exec(url.pathname)?.[1];
    const message = id ? sink.messages.find((m) => m.id === Number(id)) : undefined;
    if (message && url.searchParams.has('raw')) {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-security-policy', "script-src 'none'");
      res.end(message.html || `<pre>${escapeHtml(message.text)}</pre>`);
      return;
    }
    const list = [...sink.messages]
      .reverse()
      .map(
        (m) =>
          `<tr><td>${escapeHtml(m.receivedAt.slice(11, 19))}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/messages/${m.id}">${escapeHtml(m.subject)}</a></td></tr>`,
      )
      .join('');
    const view = message
      ? `<h2>${escapeHtml(message.subject)}</h2><p>To ${escapeHtml(message.to.join(', '))} · ${escapeHtml(message.receivedAt)}</p>
<iframe src="/messages/${message.id}?raw" style="width:100%;height:60vh;border:1px solid #ccc" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"></iframe>`
      : '<p>Select a message.</p>';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Dev inbox (${sink.messages.length})</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem 2rem}td{padding:.2rem .8rem .2rem 0}</style></head>
<body><h1>Development inbox</h1><p>SMTP on port ${sink.port}. Reload to see new mail.</p>
<table>${list || '<tr><td>No mail yet.</td></tr>'}</table><hr>${view}</body></html>`);
  });
  await new Promise<void>((resolve) => http.listen(httpPort, '127.0.0.1', resolve));
  return { sink, http };
}

if (require.main === module) {
  const smtp = Number(process.env.MAIL_SMTP_PORT ?? 1025);
  const web = Number(process.env.MAIL_WEB_PORT ?? 8025);
  startMailInbox(smtp, web)
    .then(() => process.stdout.write(`dev inbox: SMTP 127.0.0.1:${smtp}, browse http://localhost:${web}\n`))
    .catch((err) => {
      process.stderr.write(`mail inbox failed: ${String(err)}\n`);
      process.exit(1);
    });
}
