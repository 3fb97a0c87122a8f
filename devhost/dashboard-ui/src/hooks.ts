// Small hooks shared by the views: the hash route, a clock, polling and debounced input.
import { useEffect, useRef, useState } from 'preact/hooks';

import { parseRoute, type Route } from './data/route.js';

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Calls `tick` every `seconds` (0 = never) while mounted; the latest `tick` is always used. */
export function useInterval(tick: () => void, seconds: number): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (seconds <= 0) return;
    const timer = setInterval(() => latest.current(), seconds * 1000);
    return () => clearInterval(timer);
  }, [seconds]);
}

/** The value, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Replaces the URL hash without adding a history entry or re-routing. */
export function replaceHash(hash: string): void {
  if (location.hash !== hash) history.replaceState(null, '', hash);
}
