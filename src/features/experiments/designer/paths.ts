import type { TemplateId } from '@/domain';

/** Where a new experiment starts from, as the designer's URL says it (so a reload keeps it). */
export type NewExperimentSource =
  | { kind: 'blank' }
  | { kind: 'template'; templateId: TemplateId }
  | { kind: 'duplicate'; experimentId: string }
  | { kind: 'next-environment'; experimentId: string };

export function newExperimentPath(source: NewExperimentSource = { kind: 'blank' }): string {
  switch (source.kind) {
    case 'blank':
      return '/experiments/new';
    case 'template':
      return `/experiments/new?template=${encodeURIComponent(source.templateId)}`;
    case 'duplicate':
      return `/experiments/new?duplicate=${encodeURIComponent(source.experimentId)}`;
    case 'next-environment':
      return `/experiments/new?next=${encodeURIComponent(source.experimentId)}`;
  }
}

export const editExperimentPath = (id: string) => `/experiments/${encodeURIComponent(id)}/edit`;
export const experimentPath = (id: string) => `/experiments/${encodeURIComponent(id)}`;

/** The draft a source edits: one per source, so a template and a copy never overwrite each other. */
export function draftKeyOf(source: NewExperimentSource): string {
  switch (source.kind) {
    case 'blank':
    case 'template':
      return 'new';
    case 'duplicate':
      return `duplicate:${source.experimentId}`;
    case 'next-environment':
      return `next:${source.experimentId}`;
  }
}

export const editDraftKey = (id: string) => `edit:${id}`;
