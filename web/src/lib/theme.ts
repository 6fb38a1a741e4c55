/** Light or dark: the saved choice, else the system's. Applied as `data-theme` on <html>. */
export type Theme = 'light' | 'dark';
const KEY = 'md.theme';

export function initialTheme(): Theme {
  const saved = document.documentElement.dataset.theme;
  if (saved === 'dark' || saved === 'light') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Private mode: lasts for this page only.
  }
}
