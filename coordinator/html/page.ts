import { escapeHtml } from './format.ts';

/**
 * The frame of every page (report.html, compare.html, the sweep's): one self-contained document
 * with one stylesheet inline, no script, no network. Pure.
 */

export interface Page {
  readonly title: string;
  /** Lines under the title, as text. */
  readonly subtitles?: readonly string[];
  /** The main content, already HTML. */
  readonly body: string;
  /** An inline script (the live dashboard's only); the report pages have none. */
  readonly script?: string;
}

export function renderPage(page: Page): string {
  const subtitles = (page.subtitles ?? []).map((s) => `<p class="sub">${escapeHtml(s)}</p>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(page.title)}</h1>${subtitles}</header>
<main>
${page.body}
</main>${page.script === undefined ? '' : `<script>${page.script}</script>`}</body></html>
`;
}

const STYLE = `
:root{--fg:#1c2833;--muted:#6c7a89;--line:#d5d8dc;--bg:#fff;--band:#f4f6f7}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:18px 28px;border-bottom:1px solid var(--line);background:var(--band)}h1{margin:0;font-size:22px}
.sub{margin:4px 0 0;color:var(--muted)}main{padding:8px 28px 40px;max-width:1100px}
h2{margin:28px 0 10px;font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{margin:18px 0 6px;font-size:15px}
table{border-collapse:collapse;margin:6px 0 10px}th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--band);font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv th{font-weight:500;color:var(--muted)}table.statements td:first-child{font-family:ui-monospace,monospace;font-size:12px;max-width:520px;word-break:break-word}
tr.group td{font-weight:600;background:var(--band)}.diff{font-size:12px;margin-left:4px;color:var(--muted)}.better{color:#1a7f37}.worse{color:#cf222e}
figure.chart{margin:14px 0 22px}figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;max-width:820px;height:auto;display:block}
svg text{font-size:11px;fill:var(--muted)}svg .label{font-size:12px;fill:var(--fg)}svg .grid{stroke:#eaeded}svg .axis{stroke:#99a3a4}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted)}.legend i{display:inline-block;width:11px;height:11px;margin-right:5px;vertical-align:-1px;border-radius:2px}
.note{color:var(--muted);font-style:italic}.warn{color:#c0392b}pre{background:var(--band);padding:10px;overflow:auto;font-size:12px}
ol.runs li{font-family:ui-monospace,monospace;font-size:12px}.measures td{white-space:nowrap}
`;
