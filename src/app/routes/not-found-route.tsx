import { Link } from 'react-router';

function NotFound() {
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-2xl font-bold">No such page</h1>
      <p className="text-muted">The address may be mistyped, or the page has moved.</p>
      <Link to="/" className="font-semibold text-accent underline">
        Go to the overview
      </Link>
    </div>
  );
}

export { NotFound as Component };
