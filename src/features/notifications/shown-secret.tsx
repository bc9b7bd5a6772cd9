import { Button } from '@/components/button';

/** A webhook's signing secret, this once: the server never shows it again. */
export function ShownSecret(props: { name: string; secret: string; onDone: () => void }) {
  return (
    <div
      role="status"
      aria-label={`Signing secret for ${props.name}`}
      className="flex flex-col gap-2 rounded-md border border-accent bg-accent/10 p-3 text-sm"
    >
      <p className="font-semibold">
        Copy the signing secret for {props.name} now: it is not shown again.
      </p>
      <code className="font-mono break-all select-all">{props.secret}</code>
      <p className="text-muted">
        The receiver checks <code className="font-mono">X-Faultline-Signature</code> with it (see
        docs/notifications.md).
      </p>
      <Button className="self-start" onClick={props.onDone}>
        Done, I have copied it
      </Button>
    </div>
  );
}
