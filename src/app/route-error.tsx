import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** Shown when a page fails to load or throws: what happened, and a way on. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  // A new deployment replaces the chunk files: a reload fetches the current ones.
  const staleChunk = /dynamically imported module|Importing a module script failed/i.test(message);
  return (
    <main id="main" role="alert" className="mx-auto flex max-w-xl flex-col gap-3 p-8">
      <h1 className="text-2xl font-bold">This page failed</h1>
      <p className="text-muted">{message}</p>
      <p>
        {staleChunk
          ? 'The dashboard was updated: reload the page.'
          : 'Reload the page, or go back to the overview.'}
      </p>
      <div className="flex gap-3">
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="rounded-md border border-line px-3 py-1.5 font-semibold"
        >
          Reload
        </button>
        <Link to="/" className="rounded-md border border-line px-3 py-1.5 font-semibold">
          Overview
        </Link>
      </div>
    </main>
  );
}
