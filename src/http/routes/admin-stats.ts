import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { requireAdmin } from './admin.js';

export const ADMIN_STATS_PATH = '/admin/stats';
export const ADMIN_PAGE_PATH = '/admin';

/** A page that polls /admin/stats; no external assets, values set as text (never as HTML). */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>mock-drama admin</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222;max-width:60rem}
h1{font-size:1.3rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;min-width:10rem}
.card b{display:block;font-size:1.6rem}table{border-collapse:collapse;margin-top:1rem;width:100%}
td,th{border-bottom:1px solid #eee;padding:.3rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}
#status{color:#888}.err{color:#b00}
</style></head><body>
<h1>mock-drama — live</h1>
<p id="status">loading…</p>
<div class="cards">
<div class="card">sessions active <small>(15 min)</small><b id="sessions">–</b></div>
<div class="card">turns / minute <small>(5 min)</small><b id="tpm">–</b></div>
<div class="card">queue depth <small id="queue-detail"></small><b id="queue">–</b></div>
<div class="card">spend today (UTC) <b id="spend">–</b></div>
</div>
<table><thead><tr><th>model</th><th>provider</th><th>calls</th><th>input tokens</th><th>output tokens</th><th>USD</th></tr></thead><tbody id="models"></tbody></table>
<p><a href="/admin/queues">queue dashboard</a> · <a href="/admin/stats">JSON</a></p>
<script>
const $ = (id) => document.getElementById(id);
const usd = (n) => '$' + n.toFixed(n < 1 ? 4 : 2);
async function tick() {
  try {
    const res = await fetch('/admin/stats', { credentials: 'same-origin', cache: 'no-store' });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const s = await res.json();
    $('sessions').textContent = s.sessions_active;
    $('tpm').textContent = s.turns_per_minute;
    $('queue').textContent = s.queue ? s.queue.depth : 'n/a';
    $('queue-detail').textContent = s.queue ? '(' + s.queue.waiting + ' waiting, ' + s.queue.active + ' running, ' + s.queue.delayed + ' retrying)' : '';
    $('spend').textContent = usd(s.spend_today.total_usd);
    const body = $('models');
    body.replaceChildren(...s.spend_today.by_model.map((m) => {
      const tr = document.createElement('tr');
      for (const v of [m.model, m.provider, m.calls, m.input_tokens, m.output_tokens, usd(m.cost_usd)]) {
        const td = document.createElement('td');
        td.textContent = String(v);
        tr.append(td);
      }
      return tr;
    }));
    $('status').textContent = 'updated ' + new Date(s.at).toLocaleTimeString();
    $('status').className = '';
  } catch (err) {
    $('status').textContent = 'update failed: ' + err.message;
    $('status').className = 'err';
  }
}
tick();
setInterval(tick, 5000);
</script></body></html>`;

/**
 * `GET /admin/stats` (JSON) and `GET /admin` (a page polling it), behind the same admin auth as
 * the queue dashboard. Mounted whenever the process can compute the stats (all-in-one too).
 */
export function registerAdminStatsRoutes(app: OpenAPIHono<AppEnv>, deps: Pick<HttpDeps, 'admin' | 'auth'>): void {
  const stats = deps.admin?.stats;
  const token = deps.admin?.token;
  // Like the queue dashboard: ADMIN_TOKEN, or an admin's access token.
  if (!stats || (!token && !deps.auth)) return;
  const guard = requireAdmin(token, deps.auth);
  app.get(ADMIN_STATS_PATH, guard, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await stats());
  });
  app.get(ADMIN_PAGE_PATH, guard, (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(PAGE);
  });
}
