import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from './Form';
import { Button } from './Button';
import { ErrorMessage, Loading } from './Feedback';
import { TwoFactorRequired } from './TwoFactorRequired';

/** What QueryState reads of a query (a `useQuery` result, or several joined by `allOf`). */
export interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => Promise<unknown>;
}

type DataOf<Q> = { [K in keyof Q]: Q[K] extends QueryLike<infer D> ? D : never };

/** Several reads shown as one: pending until all have answered, failed when one failed. */
export function allOf<const Q extends readonly QueryLike<unknown>[], T>(queries: Q, join: (data: DataOf<Q>) => T): QueryLike<T> {
  const failed = queries.find((q) => q.isError);
  const isPending = !failed && queries.some((q) => q.isPending);
  return {
    isPending,
    isError: !!failed,
    error: failed?.error ?? null,
    data: failed || isPending ? undefined : join(queries.map((q) => q.data) as DataOf<Q>),
    refetch: () => Promise.all(queries.filter((q) => q.isError).map((q) => q.refetch())),
  };
}

/**
 * The one place a read's loading and error states are drawn: a polite "Loading…", or the
 * problem's plain-language detail with a retry button. Children render with the data.
 *
 *   <QueryState query={useQuery(queries.app(name))}>{(app) => <AppView app={app} />}</QueryState>
 */
export function QueryState<T>({ query, children, loadingLabel, error, frame = (body) => body }: {
  query: QueryLike<T>;
  children: (data: T) => ReactNode;
  loadingLabel?: string;
  /** Draws some errors differently (e.g. not_found as its own page); return undefined for the default. */
  error?: (error: ReturnType<typeof toApiError>) => ReactNode | undefined;
  /** Wraps the loading and default error states, e.g. in the page frame with its heading. */
  frame?: (body: ReactNode) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <>{frame(<Loading label={loadingLabel ?? t('common.loading')} />)}</>;
  if (query.isError) {
    const problem = toApiError(query.error);
    const custom = error?.(problem);
    if (custom !== undefined) return <>{custom}</>;
    // A Company that requires two-step sign-in: say why and lead to the setup (issue 16).
    if (problem.code === 'two_factor_required') return <TwoFactorRequired />;
    return <>{frame(
      <ErrorMessage>
        <p>{problem.detail}</p>
        {problem.status === 0 || problem.status >= 500
          ? <Button onPress={() => { void query.refetch(); }}>{t('common.retry')}</Button> : null}
      </ErrorMessage>,
    )}</>;
  }
  return <>{children(query.data as T)}</>;
}
