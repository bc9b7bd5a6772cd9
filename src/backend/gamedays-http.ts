import {
  gamedayListSchema,
  gamedaySchema,
  timelineEntrySchema,
  timelineSchema,
  type Gameday,
  type GamedaySpecInput,
  type TimelineEntry,
  type WriteFindings,
} from '@/domain';
import type { HttpClient } from './http-backend';

export interface DownloadedFile {
  fileName: string;
  text: string;
}

export interface GamedaysApi {
  listGamedays(): Promise<Gameday[]>;
  getGameday(id: string): Promise<Gameday>;
  createGameday(spec: GamedaySpecInput): Promise<Gameday>;
  updateGameday(id: string, version: number, spec: GamedaySpecInput): Promise<Gameday>;
  deleteGameday(id: string, version: number): Promise<void>;
  /** Marks one runbook step done (or open again); the server records who and when. */
  tickRunbookStep(id: string, stepId: string, done: boolean): Promise<Gameday>;
  addGamedayNote(id: string, text: string): Promise<TimelineEntry>;
  gamedayTimeline(id: string): Promise<TimelineEntry[]>;
  writeFindings(id: string, findings: WriteFindings): Promise<Gameday>;
  gamedayReport(id: string): Promise<DownloadedFile>;
}

const path = (id: string, rest = '') => `/api/v1/gamedays/${encodeURIComponent(id)}${rest}`;

/** The file name a `content-disposition: attachment; filename="…"` header gives, or a fallback. */
export function attachmentName(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  return /filename="([^"]+)"/.exec(header)?.[1] ?? fallback;
}

export function gamedaysHttp(client: HttpClient): GamedaysApi {
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
