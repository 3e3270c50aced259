import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { isApiError, setSessionEndedHandler } from './api/client';
import { account } from './api/endpoints';
import type { Me } from './api/models';
import { keys } from './api/queries';

interface Session {
  /** undefined while loading, null when signed out. */
  me: Me | null | undefined;
  refresh: () => Promise<Me | null>;
  setMe: (me: Me | null) => void;
}

async function loadMe(): Promise<Me | null> {
  try {
    return await account.me();
  } catch (error) {
    if (!isApiError(error, 'unauthenticated')) console.error(error);
    return null;
  }
}

/**
 * The signed-in person, kept in the query cache under `keys.me`. Signing in or out (here or
 * in another tab) drops every other cached answer, so nobody sees the previous person's data.
 */
export function useSession(): Session {
  const client = useQueryClient();
  const { data } = useQuery({ queryKey: keys.me, queryFn: loadMe, staleTime: Infinity, retry: false });
  const setMe = useCallback((me: Me | null) => {
    const before = client.getQueryData<Me | null>(keys.me);
    if ((before?.id ?? null) !== (me?.id ?? null)) client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
    client.setQueryData(keys.me, me);
  }, [client]);
  const refresh = useCallback(async () => {
    const me = await loadMe();
    setMe(me);
    return me;
  }, [setMe]);
  return { me: data, refresh, setMe };
}

/** Shows the sign-in page when an API answer says the session ended (see setSessionEndedHandler). */
export function SessionWatcher() {
  const { setMe } = useSession();
  useEffect(() => {
    setSessionEndedHandler(() => setMe(null));
    return () => setSessionEndedHandler(null);
  }, [setMe]);
  return null;
}
