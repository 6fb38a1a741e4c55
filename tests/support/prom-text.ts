/** A small parser for the Prometheus text exposition format, for scraping /metrics in tests. */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  samples: Sample[];
  /** `# TYPE` of each family. */
  types: Map<string, string>;
  /** Sum of the samples named `name` whose labels include `labels` (0 when there are none). */
  value(name: string, labels?: Record<string, string>): number;
  /** Whether any sample is named `name` (with `labels`). */
  has(name: string, labels?: Record<string, string>): boolean;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq).trim().replace(/^,/, '').trim();
    let j = eq + 2; // skip ="
    let value = '';
    while (j < text.length && text[j] !== '"') {
      if (text[j] === '\\') {
        const next = text[j + 1];
        value += next === 'n' ? '\n' : next;
        j += 2;
      } else value += text[j++];
    }
    labels[key] = value;
    i = j + 1;
    if (text[i] === ',') i++;
  }
  return labels;
}

export function parsePrometheusText(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name!, type!);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    let name: string;
    let labels: Record<string, string> = {};
    if (brace >= 0 && brace < space) {
      name = line.slice(0, brace);
      labels = parseLabels(line.slice(brace + 1, line.lastIndexOf('}')));
    } else name = line.slice(0, space);
    samples.push({ name, labels, value: Number(line.slice(space + 1)) });
  }
  const matching = (name: string, want: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v));
  return {
    samples,
    types,
    value: (name, labels) => matching(name, labels).reduce((n, s) => n + s.value, 0),
    has: (name, labels) => matching(name, labels).length > 0,
  };
}
