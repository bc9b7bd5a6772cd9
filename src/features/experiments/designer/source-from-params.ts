import { TEMPLATE_IDS, type TemplateId } from '@/domain';
import type { NewExperimentSource } from './paths';

const isTemplateId = (value: string): value is TemplateId =>
  (TEMPLATE_IDS as readonly string[]).includes(value);

/** Reads where a new experiment starts from out of the designer's URL. */
export function sourceFromParams(params: URLSearchParams): NewExperimentSource {
  const next = params.get('next');
  if (next) return { kind: 'next-environment', experimentId: next };
  const duplicate = params.get('duplicate');
  if (duplicate) return { kind: 'duplicate', experimentId: duplicate };
  const template = params.get('template');
  if (template && isTemplateId(template)) return { kind: 'template', templateId: template };
  return { kind: 'blank' };
}
