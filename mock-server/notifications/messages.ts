import {
  rolloutSubject,
  updateLine,
  type Experiment,
  type Incident,
  type Rollout,
  type StreamEvent,
} from '../../src/domain';
import type {
  DeliveredEvent,
  FaultlinePayload,
  SlackPayload,
  WebhookFormat,
} from '../../src/domain/webhooks';

/**
 * A stream event a webhook may want, as the bus carries it: picked out with no I/O, so the
 * subscriber on a stop's path only copies a reference. The message is built later.
 */
export type Trigger =
  | {
      event: 'experiment.aborted' | 'experiment.halted';
      experiment: Experiment;
      at: number;
    }
  | { event: 'halt-all'; halt: Extract<StreamEvent, { type: 'halt-all' }>; at: number }
  | {
      event: 'incident.opened' | 'incident.updated' | 'incident.resolved';
      incidentId: string;
      at: number;
    }
  | { event: 'rollout.rolled-back'; rolloutId: string; at: number };

const INCIDENT_CHANGES: Record<string, Extract<Trigger, { incidentId: string }>['event']> = {
  opened: 'incident.opened',
  updated: 'incident.updated',
  resolved: 'incident.resolved',
};

/** The trigger in a stream event, or null when no webhook can ask for it. */
export function triggerOf(event: StreamEvent, at: number): Trigger | null {
  switch (event.type) {
    case 'experiment':
      if (event.change === 'aborted')
        return { event: 'experiment.aborted', experiment: event.experiment, at };
      // The experiments a halt all stops are told of in its one message, not one each.
      if (event.change === 'halted') {
        const outcome = event.experiment.run?.outcome;
        if (outcome?.kind === 'halted' && outcome.haltAll) return null;
        return { event: 'experiment.halted', experiment: event.experiment, at };
      }
      return null;
    case 'halt-all':
      return { event: 'halt-all', halt: event, at };
    case 'resource': {
      if (event.resource === 'incidents' && event.id) {
        const change = INCIDENT_CHANGES[event.change];
        return change ? { event: change, incidentId: event.id, at } : null;
      }
      if (event.resource === 'rollouts' && event.id && event.change === 'rollout.rollback')
        return { event: 'rollout.rolled-back', rolloutId: event.id, at };
      return null;
    }
    default:
      return null;
  }
}

/** One message, before it is shaped for a format. */
interface Notice {
  /** The event's id: the same in every webhook's copy. */
  id: string;
  event: DeliveredEvent;
  /** epoch ms */
  occurredAt: number;
  /** One line. */
  summary: string;
  /** A few more lines for people (the incident's words, the abort's reason), or empty. */
  detail: string;
  data: Record<string, unknown>;
}

/** Where the message builder reads the records a trigger names. */
export interface NoticeLookups {
  incident(id: string): Incident | null;
  rollout(id: string): Rollout | null;
}

/** Bounds every text a message carries (Slack refuses a section over 3000 characters). */
const clip = (text: string, max = 2000) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

const experimentData = (e: Experiment) => ({
  experiment: {
    id: e.id,
    name: e.name,
    service: e.service,
    environment: e.environment,
    state: e.state,
    outcome: e.run?.outcome ?? null,
  },
});

function incidentNotice(
  event: 'incident.opened' | 'incident.updated' | 'incident.resolved',
  incident: Incident,
): Pick<Notice, 'summary' | 'detail' | 'data'> {
  const latest = incident.updates.at(-1);
  const verb = {
    'incident.opened': 'opened',
    'incident.updated': 'updated',
    'incident.resolved': 'resolved',
  }[event];
  return {
    summary: `Incident ${verb}: ${incident.title}`,
    detail: event === 'incident.opened' || !latest ? incident.summary : updateLine(latest),
    data: {
      incident: {
        id: incident.id,
        title: incident.title,
        summary: incident.summary,
        publicSummary: incident.publicSummary ?? incident.summary,
        service: incident.service,
        environment: incident.environment,
        experimentId: incident.experimentId,
        state: incident.state,
        openedAt: incident.openedAt,
        resolvedAt: incident.resolvedAt,
        latestUpdate: latest ? { at: latest.at, text: latest.text } : null,
      },
    },
  };
}

/** The message for a trigger; null when what it names is gone or cannot be read. */
export function noticeOf(trigger: Trigger, id: string, lookups: NoticeLookups): Notice | null {
  const base = { id, event: trigger.event, occurredAt: trigger.at };
  switch (trigger.event) {
    case 'experiment.aborted': {
      const e = trigger.experiment;
      const outcome = e.run?.outcome;
      const why = outcome?.kind === 'aborted' ? outcome.description : 'an abort condition tripped';
      return {
        ...base,
        summary: `Experiment "${e.name}" on ${e.service} in ${e.environment} was aborted: ${why}`,
        detail: 'Every injected fault was removed.',
        data: experimentData(e),
      };
    }
    case 'experiment.halted': {
      const e = trigger.experiment;
      const outcome = e.run?.outcome;
      const by = outcome?.kind === 'halted' ? outcome.by : 'someone';
      const reason = outcome?.kind === 'halted' && outcome.reason ? `: ${outcome.reason}` : '';
      return {
        ...base,
        summary: `Experiment "${e.name}" on ${e.service} in ${e.environment} was halted by ${by}${reason}`,
        detail: 'Every injected fault was removed.',
        data: experimentData(e),
      };
    }
    case 'halt-all': {
      const { by, halted, environment, service, flagsKilled = [] } = trigger.halt;
      const where = [environment ? ` in ${environment}` : '', service ? ` on ${service}` : ''].join(
        '',
      );
      const count = `${halted.length} experiment${halted.length === 1 ? '' : 's'}`;
      return {
        ...base,
        summary: `Halt all${where} by ${by}: ${count} halted`,
        detail: flagsKilled.length > 0 ? `Flags turned off: ${flagsKilled.join(', ')}` : '',
        data: {
          haltAll: {
            by,
            halted,
            environment: environment ?? null,
            service: service ?? null,
            flagsKilled,
          },
        },
      };
    }
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.resolved': {
      const incident = lookups.incident(trigger.incidentId);
      return incident ? { ...base, ...incidentNotice(trigger.event, incident) } : null;
    }
    case 'rollout.rolled-back': {
      const rollout = lookups.rollout(trigger.rolloutId);
      if (!rollout) return null;
      return {
        ...base,
        summary: `Rollout of ${rolloutSubject(rollout.spec)} was rolled back`,
        detail: rollout.reason ?? '',
        data: {
          rollout: {
            id: rollout.id,
            kind: rollout.spec.kind,
            service: rollout.spec.service,
            environment: rollout.spec.environment,
            state: rollout.state,
            reason: rollout.reason,
          },
        },
      };
    }
  }
}

/** The admin's "send test": a message that names the webhook and changes nothing. */
export function testNotice(id: string, webhookName: string, at: number): Notice {
  return {
    id,
    event: 'test',
    occurredAt: at,
    summary: `Test message from Faultline to "${webhookName}"`,
    detail: 'If you can read this, the webhook works.',
    data: { webhook: { name: webhookName } },
  };
}

const SLACK_MARK: Record<DeliveredEvent, string> = {
  'experiment.aborted': ':rotating_light:',
  'experiment.halted': ':octagonal_sign:',
  'halt-all': ':octagonal_sign:',
  'incident.opened': ':rotating_light:',
  'incident.updated': ':information_source:',
  'incident.resolved': ':white_check_mark:',
  'rollout.rolled-back': ':leftwards_arrow_with_hook:',
  test: ':wave:',
};

/** Slack's mrkdwn gives `&`, `<` and `>` meaning: escape them in what users typed. */
const slackEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function slackPayload(notice: Notice): SlackPayload {
  const summary = slackEscape(clip(notice.summary, 1000));
  const detail = slackEscape(clip(notice.detail));
  return {
    text: `${SLACK_MARK[notice.event]} ${summary}`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: detail ? `*${summary}*\n${detail}` : `*${summary}*` },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Faultline · ${notice.event} · ${new Date(notice.occurredAt).toISOString()}`,
          },
        ],
      },
    ],
  };
}

function faultlinePayload(notice: Notice): FaultlinePayload {
  return {
    id: notice.id,
    event: notice.event,
    occurredAt: new Date(notice.occurredAt).toISOString(),
    summary: clip(notice.summary, 1000),
    data: notice.detail ? { ...notice.data, detail: clip(notice.detail) } : notice.data,
  };
}

/** The bytes sent, for a format: built once, so every retry sends (and signs) the same. */
export function messageBody(notice: Notice, format: WebhookFormat): string {
  return JSON.stringify(format === 'slack' ? slackPayload(notice) : faultlinePayload(notice));
}
