import type { Environment } from '../../src/domain';
import {
  emptyTargeting,
  flagSpecOf,
  flagSpecSchema,
  fromFlagdDocument,
  segmentSpecOf,
  segmentSpecSchema,
  unknownSegmentIssues,
  type Flag,
  type FlagSpec,
  type ImportFlagsResponse,
  type Segment,
  type SegmentSpec,
} from '../../src/domain/flags';
import { fieldIssues, type FieldIssue } from '../../src/domain/validation';
import type { Actor, CoreContext } from '../context';
import { validationFailed } from '../errors';
import type { Evaluator } from './evaluator';
import { jsonRuleIssues, segmentRuleIssues } from './flagd-check';
import type { FlagService } from './flag-service';
import type { FlagStore } from './flag-store';
import type { SegmentService } from './segment-service';

const prefixed = (prefix: string, issues: readonly FieldIssue[]) =>
  issues.map((i) => ({ ...i, path: i.path ? `${prefix}.${i.path}` : prefix }));

/**
 * Imports a flagd document into one environment, all or nothing: every flag and segment is
 * read and validated first; a single issue refuses the whole document and writes nothing.
 * Shared fields (variants, defaults, fallback) are replaced; other environments keep their
 * targeting; a new flag starts off in the other environments.
 */
export function importService(
  ctx: CoreContext,
  store: FlagStore,
  evaluator: Evaluator,
  flags: FlagService,
  segments: SegmentService,
) {
  function plan(environment: Environment, document: unknown) {
    const read = fromFlagdDocument(document);
    if (!read.ok) throw validationFailed(prefixed('document', read.issues));
    const issues: FieldIssue[] = [];
    const segmentPlan = read.value.segments.map(({ key, conditions, logic }) => {
      const before = store.getSegment(key);
      const candidate = {
        key,
        name: before?.name ?? key,
        description: before?.description ?? '',
        conditions,
        ...(logic === undefined ? {} : { logic }),
      };
      const parsed = segmentSpecSchema.safeParse(candidate);
      const at = `document.$evaluators.${key}`;
      if (!parsed.success) issues.push(...prefixed(at, fieldIssues(parsed.error)));
      else issues.push(...prefixed(at, segmentRuleIssues(parsed.data)));
      return { before, spec: (parsed.success ? parsed.data : candidate) as SegmentSpec };
    });
    // The segments as they will be after the import: flags are checked against these.
    const specs = [
      ...store.listSegments().filter((s) => !segmentPlan.some((p) => p.spec.key === s.key)),
      ...segmentPlan.map((p) => p.spec),
    ];
    const known = new Set([
      ...store.listSegments().map((s) => s.key),
      ...segmentPlan.map((s) => s.spec.key),
    ]);
    const flagPlan = read.value.flags.map((imported) => {
      const before = store.getFlag(imported.key);
      const base: FlagSpec = before
        ? flagSpecOf(before)
        : {
            key: imported.key,
            description: '',
            services: [],
            variants: {},
            defaultVariant: '',
            offVariant: '',
            fallbackValue: false,
            environments: {
              development: emptyTargeting(),
              testing: emptyTargeting(),
              staging: emptyTargeting(),
              production: emptyTargeting(),
            },
          };
      const candidate = {
        ...base,
        description: imported.description ?? base.description,
        services: imported.services ?? base.services,
        variants: imported.variants,
        defaultVariant: imported.defaultVariant,
        offVariant: imported.offVariant,
        fallbackValue: imported.fallbackValue,
        environments: { ...base.environments, [environment]: imported.targeting },
        metadata: imported.metadata,
      };
      // No metadata of its own: absent, as a flag created in the editor has it.
      if (Object.keys(imported.metadata).length === 0)
        delete (candidate as Partial<FlagSpec>).metadata;
      const parsed = flagSpecSchema.safeParse(candidate);
      const prefix = `document.flags.${imported.key}`;
      if (!parsed.success) issues.push(...prefixed(prefix, fieldIssues(parsed.error)));
      else {
        const unknown = unknownSegmentIssues(parsed.data, known);
        // In the document, an environment's JSON rule is the flag's `targeting`.
        const refused = jsonRuleIssues(parsed.data, specs).map((i) => ({
          ...i,
          path: 'targeting',
        }));
        issues.push(...prefixed(prefix, unknown.length > 0 ? unknown : refused));
      }
      return { before, spec: (parsed.success ? parsed.data : candidate) as FlagSpec };
    });
    if (issues.length > 0) throw validationFailed(issues);
    return { segmentPlan, flagPlan, flagSetMetadata: read.value.flagSetMetadata };
  }

  return {
    importDocument(actor: Actor, environment: Environment, document: unknown): ImportFlagsResponse {
      const { segmentPlan, flagPlan, flagSetMetadata } = plan(environment, document);
      const response: ImportFlagsResponse = {
        created: [],
        updated: [],
        segmentsCreated: [],
        segmentsUpdated: [],
      };
      ctx.mutate(actor, 'flag.import', { type: 'flags', id: environment }, (scope) => {
        // The document is this environment's flag set: its metadata replaces what was kept.
        store.putFlagSetMetadata(environment, flagSetMetadata);
        const written: { segments: Segment[]; flags: Flag[] } = { segments: [], flags: [] };
        for (const { before, spec } of segmentPlan) {
          if (before && JSON.stringify(segmentSpecOf(before)) === JSON.stringify(spec)) continue;
          const after = segments.stamp(spec, actor, before);
          store.putSegment(after);
          written.segments.push(after);
          (before ? response.segmentsUpdated : response.segmentsCreated).push(spec.key);
          scope.publish({
            type: 'resource',
            resource: 'segments',
            id: spec.key,
            change: 'imported',
          });
        }
        for (const { before, spec } of flagPlan) {
          if (before && JSON.stringify(flagSpecOf(before)) === JSON.stringify(spec)) continue;
          const after = flags.stamp(spec, actor, before);
          store.putFlag(after);
          written.flags.push(after);
          (before ? response.updated : response.created).push(spec.key);
          flags.record(scope, actor, 'imported', before, after);
        }
        return { before: null, after: { environment, ...response }, result: written };
      });
      evaluator.invalidate();
      return response;
    },
  };
}
