/**
 * The files of a story being written in the browser: one or several ink files, one of them compiled
 * (`main`), the others reached by INCLUDE. Pure functions, so the editor's rules are testable.
 * @module
 */

export interface InkFile {
  name: string;
  text: string;
}

export interface InkFileSet {
  files: InkFile[];
  main: string;
}

/** What the server reports for a compile error; `file` is absent for a story of one file. */
export interface CompileError {
  file?: string;
  line: number;
  message: string;
}

/** The upload body: `source` for one file (as before several files existed), else `files` and `main`. */
export type InkUpload = { source: string } | { files: Record<string, string>; main: string };

/** The server's rule (src/domain/stories.ts INK_FILE_NAME): relative, letters/digits first, `.ink`, no `.` or `..` parts. */
const SERVER_FILE_NAME = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[\p{L}\p{N}_][\p{L}\p{N}_ .\-/]{0,199}\.ink$/u;

export type FileNameProblem = 'empty' | 'extension' | 'path' | 'taken';

/** Why a name will not do, checked before the upload so the editor can say so at the field. */
export function fileNameProblem(name: string, set: InkFileSet, renaming?: string): FileNameProblem | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'empty';
  if (!/\.ink$/i.test(trimmed)) return 'extension';
  if (!SERVER_FILE_NAME.test(trimmed) || trimmed.includes('//')) return 'path';
  if (set.files.some((f) => f.name === trimmed && f.name !== renaming)) return 'taken';
  return null;
}

export function single(text: string, name = 'main.ink'): InkFileSet {
  return { files: [{ name, text }], main: name };
}

/** The files of a story as the API returns it (`files` + `main`, or just `source`). */
export function fromStory(story: { source?: string; files?: Record<string, string>; main?: string }): InkFileSet {
  if (story.files && Object.keys(story.files).length > 0) {
    const files = Object.entries(story.files).map(([name, text]) => ({ name, text }));
    return { files, main: story.main ?? files[0]!.name };
  }
  return single(story.source ?? '');
}

export function toUpload(set: InkFileSet): InkUpload {
  if (set.files.length === 1) return { source: set.files[0]!.text };
  return { files: Object.fromEntries(set.files.map((f) => [f.name, f.text])), main: set.main };
}

export function mainText(set: InkFileSet): string {
  return set.files.find((f) => f.name === set.main)?.text ?? '';
}

/** The file a compile error belongs to: its own, or the main file when the server names none. */
export function errorFile(error: CompileError, set: InkFileSet): string {
  return error.file ?? set.main;
}

export function nextFileName(set: InkFileSet): string {
  for (let n = set.files.length; ; n++) {
    const name = `chapter${n}.ink`;
    if (!set.files.some((f) => f.name === name)) return name;
  }
}

export function addFile(set: InkFileSet, file: InkFile): InkFileSet {
  const files = set.files.some((f) => f.name === file.name) ? set.files.map((f) => (f.name === file.name ? file : f)) : [...set.files, file];
  return { ...set, files };
}

export function removeFile(set: InkFileSet, name: string): InkFileSet {
  if (name === set.main || set.files.length === 1) return set;
  return { ...set, files: set.files.filter((f) => f.name !== name) };
}

export function renameFile(set: InkFileSet, from: string, to: string): InkFileSet {
  const files = set.files.map((f) => (f.name === from ? { ...f, name: to } : f));
  return { files, main: set.main === from ? to : set.main };
}

export function setText(set: InkFileSet, name: string, text: string): InkFileSet {
  return { ...set, files: set.files.map((f) => (f.name === name ? { ...f, text } : f)) };
}

const INCLUDE = /^\s*INCLUDE\s+(.+?)\s*$/gm;

function includedNames(text: string): string[] {
  return [...text.matchAll(INCLUDE)].map((m) => m[1]!);
}

/**
 * Which of several opened files is the story: `main.ink` if there is one, else one that no other file
 * INCLUDEs (a root of the include tree), preferring a root that INCLUDEs others, else the first.
 */
export function guessMain(files: InkFile[]): string {
  if (files.some((f) => f.name === 'main.ink')) return 'main.ink';
  // Files opened from disk lose their folders: match what INCLUDE names by its last part too.
  const included = new Set(files.flatMap((f) => includedNames(f.text)).flatMap((name) => [name, name.split('/').pop()!]));
  const roots = files.filter((f) => !included.has(f.name));
  return (roots.find((f) => includedNames(f.text).length > 0) ?? roots[0] ?? files[0]!).name;
}

/** Files opened from disk replace the set when it is still the one untouched starter file, else join it. */
export function openFiles(set: InkFileSet, opened: InkFile[], untouched: boolean): InkFileSet {
  if (opened.length === 0) return set;
  if (untouched) return { files: opened, main: guessMain(opened) };
  return opened.reduce(addFile, set);
}
