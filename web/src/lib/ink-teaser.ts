/**
 * The first lines of prose of an ink story (skipping tags, comments, declarations, knots and
 * choices), to give a story's page a taste of how it opens before a session is started.
 */
export function inkTeaser(source: string, maxChars = 420): string {
  const prose: string[] = [];
  let inComment = false;
  for (const raw of source.split('\n')) {
    let line = raw.trim();
    if (inComment) {
      if (line.includes('*/')) inComment = false;
      continue;
    }
    if (line.startsWith('/*')) {
      inComment = !line.includes('*/');
      continue;
    }
    if (line === '' || /^(#|\/\/|VAR\b|CONST\b|LIST\b|INCLUDE\b|EXTERNAL\b|=|->|~|\*|\+|-|\{|\})/.test(line)) {
      if (prose.length > 0 && /^(=|\*|\+|->)/.test(line)) break;
      continue;
    }
    line = line.replace(/\s#.*$/, '').replace(/\/\/.*$/, '').replace(/<>/g, '').trim();
    if (!line) continue;
    // Whole lines only, unless the very first one is already too long.
    if (prose.length > 0 && prose.join(' ').length + line.length + 1 > maxChars) break;
    prose.push(line);
  }
  const text = prose.join('\n');
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`;
}
