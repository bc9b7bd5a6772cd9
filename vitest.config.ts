import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '@': fileURLToPath(new URL('./src', import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          // Generous limits: these machines are shared, and a timeout is not a speed assertion.
          testTimeout: 20_000,
          hookTimeout: 30_000,
          include: ['test/**/*.test.ts'],
          exclude: [
            'test/e2e/**',
            'test/agent/real-faults.test.ts',
            'test/agent/agent-link.test.ts',
            'test/agent/prometheus-faults.test.ts',
            'test/agent/stress-ramp.test.ts',
            'test/scripts/start-real.test.ts',
          ],
        },
      },
      {
        plugins: [react()],
        resolve: { alias },
        test: {
          name: 'components',
          environment: 'jsdom',
          testTimeout: 20_000,
          hookTimeout: 30_000,
          include: ['test/**/*.test.tsx'],
          setupFiles: ['test/setup-components.ts'],
        },
      },
      {
        // Real processes under real faults (stress-ng, fault proxies): one file at a time, so
        // they share the machine's cores with as little else as possible.
        resolve: { alias },
        test: {
          name: 'real-faults',
          environment: 'node',
          include: [
            'test/agent/real-faults.test.ts',
            'test/agent/agent-link.test.ts',
            'test/agent/prometheus-faults.test.ts',
            'test/agent/stress-ramp.test.ts',
            'test/scripts/start-real.test.ts',
          ],
          testTimeout: 60_000,
          // Their set-ups start real processes and wait for them: 10 s is too short under load.
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
