import { useCallback, useEffect, useState } from 'react';
import { companies } from '../api/endpoints';
import type { ActivityEvent } from '../api/models';
import { Button } from '../components/Button';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { toApiError } from '../components/Form';
import { formatDateTime } from '../format';
import { describeAction } from './appShared';

/** The Company's activity, newest first, with "Show older activity" following nextCursor. */
export function ActivityList({ companyId }: { companyId: string }) {
  const [items, setItems] = useState<ActivityEvent[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (from: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await companies.activity(companyId, from);
      setItems((list) => (from ? [...(list ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
    } catch (e) {
      setError(toApiError(e).detail);
    } finally {
      setBusy(false);
    }
  }, [companyId]);
  useEffect(() => { void load(null); }, [load]);

  if (!items) return error ? <ErrorMessage>{error}</ErrorMessage> : <Loading />;
  if (!items.length) return <EmptyState title="No activity yet">Changes to this Company and its Apps are listed here.</EmptyState>;
  return (
    <>
      <ol className="item-list activity" aria-label="Activity, newest first">
        {items.map((event) => (
          <li key={event.id} className="item">
            <div className="item-main">
              <p className="item-title activity-line">
                <span>{event.actor?.name || 'Someone'}</span> {describeAction(event.action)}
                {event.appName ? <> · <span className="mono">{event.appName}</span></> : null}
                {event.outcome === 'refused' ? <span className="badge badge-suspended">refused</span> : null}
              </p>
              <p className="item-meta"><time dateTime={event.at}>{formatDateTime(event.at)}</time></p>
            </div>
          </li>
        ))}
      </ol>
      {error ? <ErrorMessage>{error}</ErrorMessage> : null}
      {cursor ? <Button onPress={() => void load(cursor)} busy={busy}>Show older activity</Button> : null}
    </>
  );
}
