import { useMutation } from '@tanstack/react-query';
import { useBackend } from '@/backend/backend-context';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';

/** Hands a text to the browser as a file download. */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** The report: the server's Markdown as a download, or this page printed. */
export function ReportActions({ gamedayId }: { gamedayId: string }) {
  const backend = useBackend();
  const exportReport = useMutation({
    mutationFn: () => backend.gamedayReport(gamedayId),
    onSuccess: (file) => downloadText(file.fileName, file.text, 'text/markdown;charset=utf-8'),
  });
  return (
    <div className="flex flex-wrap items-center gap-2 print:hidden">
      <Button onClick={() => exportReport.mutate()} disabled={exportReport.isPending}>
        {exportReport.isPending ? 'Exporting…' : 'Export Markdown'}
      </Button>
      <Button onClick={() => window.print()}>Print</Button>
      {exportReport.error && <ErrorMessage error={exportReport.error} />}
    </div>
  );
}
