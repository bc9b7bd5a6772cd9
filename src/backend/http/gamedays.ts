import { gamedayListSchema, gamedaySchema, timelineEntrySchema, timelineSchema } from '@/domain';
import type { GamedaysCapability } from '../capabilities/gamedays';
import { attachmentName } from './attachment-name';
import type { HttpClient } from './client';

const path = (id: string, rest = '') => `/api/v1/gamedays/${encodeURIComponent(id)}${rest}`;

export function gamedaysHttp(client: HttpClient): GamedaysCapability {
  return {
    listGamedays: async () =>
      (await client.json('GET', '/api/v1/gamedays', gamedayListSchema)).gamedays,
    getGameday: (id) => client.json('GET', path(id), gamedaySchema),
    createGameday: (spec) => client.json('POST', '/api/v1/gamedays', gamedaySchema, { body: spec }),
    updateGameday: (id, version, spec) =>
      client.json('PUT', path(id), gamedaySchema, { body: { version, spec } }),
    deleteGameday: (id, version) => client.empty('DELETE', path(id), { query: { version } }),
    tickRunbookStep: (id, stepId, done) =>
      client.json('POST', path(id, `/runbook/${encodeURIComponent(stepId)}`), gamedaySchema, {
        body: { done },
      }),
    addGamedayNote: (id, text) =>
      client.json('POST', path(id, '/notes'), timelineEntrySchema, { body: { text } }),
    gamedayTimeline: async (id) =>
      (await client.json('GET', path(id, '/timeline'), timelineSchema)).entries,
    writeFindings: (id, findings) =>
      client.json('PUT', path(id, '/findings'), gamedaySchema, { body: findings }),
    gamedayReport: async (id) => {
      const response = await client.open(path(id, '/report'), {
        headers: { accept: 'text/markdown' },
        timeoutMs: 15_000,
      });
      return { fileName: attachmentName(response, 'gameday.md'), text: await response.text() };
    },
  };
}
