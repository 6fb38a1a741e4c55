import type { Story } from 'inkjs/compiler/Compiler';

export interface StoryHeader {
  title: string | null;
  author: string | null;
  /** Style guidance for the narrating model. */
  narrator: string | null;
  /** `# narrator_model:` / `# judge_model:` — the models the author prefers (provider:model chains). */
  narratorModel: string | null;
  judgeModel: string | null;
  /** VAR names the judge may change. */
  writable: string[];
}

/** Read the `# key: value` global tags at the top of an ink file. */
export function readGlobalTags(story: Story): StoryHeader {
  const header: StoryHeader = { title: null, author: null, narrator: null, narratorModel: null, judgeModel: null, writable: [] };
  for (const tag of story.globalTags ?? []) {
    const colon = tag.indexOf(':');
    if (colon < 0) continue;
    const key = tag.slice(0, colon).trim().toLowerCase();
    const value = tag.slice(colon + 1).trim();
    if (key === 'title') header.title = value;
    else if (key === 'author') header.author = value;
    else if (key === 'narrator') header.narrator = value;
    else if (key === 'narrator_model') header.narratorModel = value;
    else if (key === 'judge_model') header.judgeModel = value;
    else if (key === 'writable') header.writable.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
  }
  return header;
}
