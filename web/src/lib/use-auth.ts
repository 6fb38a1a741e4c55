import { useEffect, useState } from 'preact/hooks';
import { auth } from './api.js';
import type { AuthView } from './auth.js';

/** The page's sign-in state, re-rendering on every change. */
export function useAuthView(): AuthView {
  const [view, setView] = useState(auth.view);
  useEffect(() => {
    setView(auth.view);
    return auth.subscribe(() => setView(auth.view));
  }, []);
  return view;
}
