import type { FastifyInstance } from 'fastify';
import type { SkippedRecordList } from '../../src/domain';
import type { CoreContext } from '../context';
import { skippedRecordsOf } from '../store/records';

/** The stored records the server cannot read and skips: what they are, and why. */
export async function skippedRecordRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  const skipped = skippedRecordsOf(ctx.db);
  // Told once each, when first met (at start-up the whole store is read once).
  skipped.onSkip((record) =>
    app.log.error({ record }, 'skipped a stored record that cannot be read'),
  );

  app.get('/api/v1/skipped-records', async (request): Promise<SkippedRecordList> => {
    ctx.requireAction(request, 'read');
    return { records: skipped.scan() };
  });
}
