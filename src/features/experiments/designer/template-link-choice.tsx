import { Button } from '@/components/button';
import { TEMPLATES, type TemplateId } from '@/domain';

/** A ?template= link met a new experiment with unsaved work: the user chooses, nothing is replaced unasked. */
export function TemplateLinkChoice({
  templateId,
  draftName,
  onTemplate,
  onKeep,
}: {
  templateId: TemplateId;
  draftName: string;
  onTemplate: () => void;
  onKeep: () => void;
}) {
  return (
    <div
      role="alertdialog"
      aria-label="Start from the template?"
      className="flex flex-wrap items-center gap-2 rounded-md border border-warn px-3 py-2 text-sm"
    >
      <span className="min-w-64 flex-1">
        This link starts a new experiment from the “{TEMPLATES[templateId].label}” template, but you
        have unsaved work in
        {draftName ? ` “${draftName}”` : ' a new experiment'}.
      </span>
      <span className="flex gap-2">
        <Button onClick={onKeep}>Keep my draft</Button>
        <Button onClick={onTemplate}>Replace it with the template</Button>
      </span>
    </div>
  );
}
