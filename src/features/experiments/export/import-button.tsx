import { useId, useState } from 'react';
import type { ExperimentSpec } from '@/domain';
import { describeProblem, parseExperimentFile, type ImportProblem } from './faultline-json';

function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsText(file);
  });
}

/**
 * Reads a Faultline experiment file into the designer. A bad file imports nothing and says
 * which line or field is at fault.
 */
export function ImportButton({ onImport }: { onImport: (spec: ExperimentSpec) => void }) {
  const inputId = useId();
  const [problems, setProblems] = useState<ImportProblem[]>([]);
  const [fileName, setFileName] = useState('');

  async function read(file: File) {
    setFileName(file.name);
    const result = parseExperimentFile(await readText(file));
    if (result.ok) {
      setProblems([]);
      onImport(result.spec);
    } else {
      setProblems(result.problems);
    }
  }

  return (
    <div className="text-sm">
      <label
        htmlFor={inputId}
        className="cursor-pointer rounded-md border border-line bg-surface px-3 py-1.5 font-semibold hover:border-fg"
      >
        Import file…
      </label>
      <input
        id={inputId}
        type="file"
        accept=".json,.yaml,.yml,application/json,application/yaml"
        className="sr-only"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void read(file);
        }}
      />
      {problems.length > 0 && (
        <div
          role="alert"
          className="mt-2 max-w-xl rounded-md border border-danger/60 bg-danger/10 p-2"
        >
          <p className="font-semibold">Nothing was imported from {fileName}:</p>
          <ul className="list-disc pl-5">
            {problems.map((problem, index) => (
              <li key={index}>{describeProblem(problem)}</li>
            ))}
          </ul>
          <button type="button" className="mt-1 text-xs underline" onClick={() => setProblems([])}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
