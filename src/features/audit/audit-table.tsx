import { Link } from 'react-router';
import type { AuditEntry } from '@/domain/audit';
import { formatDateTimeSeconds } from '@/lib/format';
import { changedFields, changeKind } from './audit-change';

/** Where a record of each kind is shown, for the target's link. */
function targetPath(type: string, id: string): string | null {
  const key = encodeURIComponent(id);
  switch (type) {
    case 'experiment':
      return `/experiments/${key}`;
    case 'flag':
      return `/flags/${key}`;
    case 'gameday':
      return `/gamedays/${key}`;
    case 'rollout':
      return `/rollouts/${key}`;
    case 'incident':
      return '/incidents';
    default:
      return null;
  }
}

function Target({ type, id }: { type: string; id: string }) {
  const path = targetPath(type, id);
  const text = `${type} ${id}`;
  if (!path) return <span>{text}</span>;
  return (
    <Link to={path} className="text-accent underline-offset-2 hover:underline">
      {text}
    </Link>
  );
}

/** What changed, field by field: before and after side by side. */
function Change({ entry }: { entry: AuditEntry }) {
  const kind = changeKind(entry.before, entry.after);
  if (kind !== 'edited') return <span className="text-muted">{kind}</span>;
  const changes = changedFields(entry.before, entry.after);
  if (changes.length === 0) return null;
  return (
    <table
      aria-label={`Changes to ${entry.targetType} ${entry.targetId}`}
      className="border-collapse text-xs"
    >
      <thead className="text-muted">
        <tr>
          <th scope="col" className="pr-3 font-semibold">
            Field
          </th>
          <th scope="col" className="pr-3 font-semibold">
            Before
          </th>
          <th scope="col" className="font-semibold">
            After
          </th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field} className="align-top">
            <th scope="row" className="pr-3 font-mono font-normal">
              {c.field}
            </th>
            <td className="pr-3 break-words text-danger">{c.before}</td>
            <td className="break-words text-ok">{c.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Audit rows, newest first: who, when, what, on which record, and what changed. */
export function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">Audit log, newest first</caption>
        <thead className="border-b border-line text-muted">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Time
            </th>
            <th scope="col" className="py-2 pr-4">
              Person
            </th>
            <th scope="col" className="py-2 pr-4">
              Role
            </th>
            <th scope="col" className="py-2 pr-4">
              Action
            </th>
            <th scope="col" className="py-2 pr-4">
              Target
            </th>
            <th scope="col" className="py-2 pr-4">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className="border-b border-line/60 align-top">
              <td className="whitespace-nowrap py-1.5 pr-4">
                <time dateTime={new Date(e.at).toISOString()}>{formatDateTimeSeconds(e.at)}</time>
              </td>
              <td className="py-1.5 pr-4 font-semibold">{e.actor}</td>
              <td className="py-1.5 pr-4 text-muted">{e.role}</td>
              <td className="py-1.5 pr-4 font-mono text-xs">{e.action}</td>
              <td className="py-1.5 pr-4">
                <Target type={e.targetType} id={e.targetId} />
              </td>
              <td className="max-w-xl break-words py-1.5 pr-4 text-xs">
                <Change entry={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
