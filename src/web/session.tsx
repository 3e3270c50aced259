import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { isApiError, setSessionEndedHandler } from './api/client';
import { account } from './api/endpoints';
import type { Me } from './api/types';

interface Session {
  /** undefined while loading, null when signed out. */
  me: Me | null | undefined;
  refresh: () => Promise<Me | null>;
  setMe: (me: Me | null) => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      const next = await account.me();
      setMe(next);
      return next;
    } catch (error) {
      if (!isApiError(error, 'unauthenticated')) console.error(error);
      setMe(null);
      return null;
    }
  }, []);
  useEffect(() => { void refresh(); }, [refresh]);
  useEffect(() => {
    setSessionEndedHandler(() => setMe(null));
    return () => setSessionEndedHandler(null);
  }, []);
  return <SessionContext.Provider value={{ me, refresh, setMe }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
