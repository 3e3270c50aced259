import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/**
 * A very small history-API router (re-decided in ADR 0030: TanStack Query does the data
 * loading, this does matching, flash and focus). A flash message travels in history.state so it survives
 * one navigation and is gone after a reload.
 */
export interface Location { pathname: string; search: URLSearchParams; flash: string | null; key: number }

let key = 0;
const listeners = new Set<() => void>();
let current: Location = read();
const initialKey = current.key;

/** True once the person has moved inside the app (then focus goes to the new page's heading). */
export function hasNavigated() {
  return current.key !== initialKey;
}

function read(): Location {
  const state = (window.history.state ?? {}) as { flash?: string };
  return { pathname: window.location.pathname, search: new URLSearchParams(window.location.search), flash: state.flash ?? null, key: key++ };
}

function emit() {
  current = read();
  listeners.forEach((listener) => listener());
}

window.addEventListener('popstate', emit);

export function navigate(to: string, options: { replace?: boolean; flash?: string } = {}) {
  const state = options.flash ? { flash: options.flash } : {};
  if (options.replace) window.history.replaceState(state, '', to);
  else window.history.pushState(state, '', to);
  window.scrollTo(0, 0);
  emit();
}

/** Removes query parameters (e.g. ?token= or ?verified=1) without a new history entry. */
export function replaceSearch(search: string) {
  window.history.replaceState(window.history.state, '', window.location.pathname + search);
  current = { ...current, search: new URLSearchParams(search) };
}

export function useLocation(): Location {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, () => current);
}

/**
 * Matches "/apps/:name" against a pathname; returns the decoded params or null. A trailing
 * "/*" matches the pattern's prefix and gives the rest as `params['*']` ("" for the prefix
 * itself), for layouts with nested pages (ADR 0030): "/companies/:id/*".
 */
export function match(pattern: string, pathname: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = pathname.split('/').filter(Boolean);
  const splat = p[p.length - 1] === '*';
  if (splat) p.pop();
  if (splat ? s.length < p.length : p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      try { params[p[i].slice(1)] = decodeURIComponent(s[i]); } catch { return null; }
    } else if (p[i] !== s[i]) return null;
  }
  if (splat) params['*'] = s.slice(p.length).join('/');
  return params;
}

/** `children` may be left out where <Trans> fills the link text in from the catalogue. */
type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; children?: ReactNode };

export function Link({ to, onClick, children, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest}>{children}</a>;
}
