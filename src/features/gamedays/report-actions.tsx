import { useMutation } from '@tanstack/react-query';
import { useBackend, capability } from '@/lib/backend-context';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import { downloadText } from '@/lib/download';

/** The report: the server's Markdown as a download, or this page printed. */
export function ReportActions({ gamedayId }: { gamedayId: string }) {
  const backend = useBackend();
  const exportReport = useMutation({
    mutationFn: () => capability(backend, 'gamedays').gamedayReport(gamedayId),
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
