import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { companies } from '../api/endpoints';
import type { ActivityEvent } from '../api/models';
import { keys } from '../api/queries';
import { Button } from '../components/Button';
import { EmptyState, ErrorMessage } from '../components/Feedback';
import { toApiError } from '../components/Form';
import { QueryState } from '../components/QueryState';
import { formatDateTime } from '../format';
import { describeAction } from './appShared';
import { costAmountsLine } from './company/costActivity';

/** The Company's activity, newest first, with "Show older activity" following nextCursor. */
export function ActivityList({ companyId }: { companyId: string }) {
  const query = useInfiniteQuery({
    queryKey: keys.activity(companyId),
    queryFn: ({ pageParam }) => companies.activity(companyId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor ?? null,
  });
  return <QueryState query={query}>{(data) => <Events items={data.pages.flatMap((p) => p.items)} query={query} />}</QueryState>;
}

function Events({ items, query }: { items: ActivityEvent[]; query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown>; isFetchNextPageError: boolean; error: unknown } }) {
  const { t } = useTranslation();
  if (!items.length) return <EmptyState title={t('activity.emptyTitle')}>{t('activity.empty')}</EmptyState>;
  return (
    <>
      <ol className="item-list activity" aria-label={t('activity.label')}>
        {items.map((event) => (
          <li key={event.id} className="item">
            <div className="item-main">
              <p className="item-title activity-line">
                <span>{event.actor?.name || t('activity.someone')}</span> {describeAction(event.action)}
                {event.appName ? <> · <span className="mono">{event.appName}</span></> : null}
                {event.outcome === 'refused' ? <span className="badge badge-suspended">{t('activity.refused')}</span> : null}
              </p>
              {costAmountsLine(event) ? <p className="activity-amounts">{costAmountsLine(event)}</p> : null}
              <p className="item-meta"><time dateTime={event.at}>{formatDateTime(event.at)}</time></p>
            </div>
          </li>
        ))}
      </ol>
      {query.isFetchNextPageError ? <ErrorMessage>{toApiError(query.error).detail}</ErrorMessage> : null}
      {query.hasNextPage ? <Button onPress={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>{t('activity.older')}</Button> : null}
    </>
  );
}
