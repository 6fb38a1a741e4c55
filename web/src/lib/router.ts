/**
 * A tiny history router: paths like `/play/<id>`; the server answers every such path with
 * index.html, so reloads and shared links work.
 * @module
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'library' }
  | { name: 'sessions' }
  | { name: 'upload' }
  | { name: 'sign-in' }
  | { name: 'settings' }
  | { name: 'story'; storyId: string }
  | { name: 'story-edit'; storyId: string }
  | { name: 'analytics'; storyId: string }
  | { name: 'play'; sessionId: string }
  | { name: 'shared'; token: string }
  | { name: 'join'; code: string }
  | { name: 'not-found' };

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'library' };
  if (parts[0] === 'sessions' && parts.length === 1) return { name: 'sessions' };
  if (parts[0] === 'upload' && parts.length === 1) return { name: 'upload' };
  if (parts[0] === 'sign-in' && parts.length === 1) return { name: 'sign-in' };
  if (parts[0] === 'settings' && parts.length === 1) return { name: 'settings' };
  if (parts[0] === 'stories' && parts[1] && parts.length === 2) return { name: 'story', storyId: parts[1] };
  if (parts[0] === 'stories' && parts[1] && parts[2] === 'edit' && parts.length === 3) return { name: 'story-edit', storyId: parts[1] };
  if (parts[0] === 'stories' && parts[1] && parts[2] === 'analytics' && parts.length === 3) return { name: 'analytics', storyId: parts[1] };
  if (parts[0] === 'play' && parts[1] && parts.length === 2) return { name: 'play', sessionId: parts[1] };
  if (parts[0] === 's' && parts[1] && parts.length === 2) return { name: 'shared', token: parts[1] };
  if (parts[0] === 'join' && parts[1] && parts.length === 2) return { name: 'join', code: parts[1] };
  return { name: 'not-found' };
}

export function navigate(path: string): void {
  if (location.pathname === path) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => {
      setRoute(parseRoute(location.pathname));
      scrollTo(0, 0);
    };
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/** Left clicks on an in-app link navigate without a page load (modified clicks still open tabs). */
export function onLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = (e.currentTarget as HTMLAnchorElement).getAttribute('href');
  if (!href?.startsWith('/')) return;
  e.preventDefault();
  navigate(href);
}
