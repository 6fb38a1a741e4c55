// Container health probe for the image's HEALTHCHECK and docker-compose (node:20-bookworm-slim has
// no curl or wget). Exit 0 when the endpoint answers 200, 1 otherwise.
//
//   node deploy/docker/healthcheck.mjs [path] [port]
//
// path defaults to /healthz. Without a port it asks the web server ($PORT, default 8000) and, if
// nothing listens there, the worker's health endpoint ($WORKER_HEALTH_PORT, default 9464), so the
// one image-level HEALTHCHECK works for `serve`, `work` and `all` containers alike.
import { request } from 'node:http';

const [path = '/healthz', explicitPort] = process.argv.slice(2);
const ports = explicitPort
  ? [Number(explicitPort)]
  : [Number(process.env.PORT || 8000), Number(process.env.WORKER_HEALTH_PORT || 9464)];

/** 'ok', 'refused' (nothing listens: try the next port) or a reason to fail. */
function probe(port) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 2500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? 'ok' : `HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : err.message));
    req.end();
  });
}

for (const port of ports) {
  const result = await probe(port);
  if (result === 'ok') process.exit(0);
  if (result !== 'refused') {
    console.error(`http://127.0.0.1:${port}${path}: ${result}`);
    process.exit(1);
  }
}
console.error(`nothing listens on ${ports.map((p) => `127.0.0.1:${p}`).join(' or ')}`);
process.exit(1);
