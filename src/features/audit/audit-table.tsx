import type { AuditEntry } from '@/domain/audit';
import { describeChange } from './audit-change';

const when = (at: number) =>
  new Date(at).toLocaleString([], {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });

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
                <time dateTime={new Date(e.at).toISOString()}>{when(e.at)}</time>
              </td>
              <td className="py-1.5 pr-4 font-semibold">{e.actor}</td>
              <td className="py-1.5 pr-4 text-muted">{e.role}</td>
              <td className="py-1.5 pr-4 font-mono text-xs">{e.action}</td>
              <td className="py-1.5 pr-4">
                <span className="text-muted">{e.targetType}</span>{' '}
                <span className="font-mono text-xs">{e.targetId}</span>
              </td>
              <td className="max-w-xl break-words py-1.5 pr-4 text-xs">
                {describeChange(e.before, e.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
