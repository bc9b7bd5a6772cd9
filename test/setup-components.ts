import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { resetConnection } from '@/lib/live/connection-store';
import { resetLiveMetrics } from '@/lib/live/live-metrics-store';
import { resetMetricGaps } from '@/lib/live/metric-gaps-store';
import { tokenStorage } from '@/lib/token-storage';
import { resetViewSettings } from '@/lib/view-settings';

// Each test starts from its own state: no live series, connection, view settings or token left over.
afterEach(() => {
  cleanup();
  resetLiveMetrics();
  resetMetricGaps();
  resetConnection();
  resetViewSettings();
  tokenStorage.clear();
});
