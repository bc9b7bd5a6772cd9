import { z } from 'zod';

const envSchema = z.object({
  /** Where the API lives; empty means the same origin that served the dashboard. */
  VITE_API_BASE_URL: z.string().default(''),
  MODE: z.string().default('production'),
});

const parsed = envSchema.parse(import.meta.env);

export const env = {
  apiBaseUrl: parsed.VITE_API_BASE_URL.replace(/\/$/, ''),
  mode: parsed.MODE,
} as const;
