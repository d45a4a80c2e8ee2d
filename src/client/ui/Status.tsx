import type { ReactNode } from 'react';
import { apiError } from '../trpc.ts';
import { ErrorBox } from './ErrorBox.tsx';

type QueryLike<T> = { isPending: boolean; error: unknown; data: T | undefined };

/** The loading and error states every page has, so pages only describe their data. */
export function QueryView<T>({ query, loading, children }: { query: QueryLike<T>; loading: string; children(data: T): ReactNode }) {
  // A page's query input comes from its URL: invalid input means a mangled link, not a form to fix.
  if (apiError(query.error)?.data.appCode === 'VALIDATION') return <NotFound />;
  if (query.error) return <ErrorBox error={query.error} />;
  if (query.isPending || query.data === undefined) return <p aria-busy="true">{loading}</p>;
  return <>{children(query.data)}</>;
}

export function NotFound({ message = 'This link is not valid. Check that you copied the whole link.' }: { message?: string }) {
  return (
    <div className="notice notice-error" role="alert">
      <strong>Not found</strong>
      <p>{message}</p>
    </div>
  );
}
