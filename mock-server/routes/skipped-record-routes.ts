import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { skippedRecordListSchema } from '../../src/domain';
import type { CoreContext } from '../context';
import { answers } from '../route-schemas';
import { skippedRecordsOf } from '../store/records';

/** The stored records the server cannot read and skips: what they are, and why. */
export async function skippedRecordRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  const skipped = skippedRecordsOf(ctx.db);
  // Told once each, when first met (at start-up the whole store is read once).
  skipped.onSkip((record) =>
    app.log.error({ record }, 'skipped a stored record that cannot be read'),
  );

  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/v1/skipped-records',
      { schema: { response: answers({ 200: skippedRecordListSchema }) } },
      async (request) => {
        ctx.requireAction(request, 'read');
        return { records: skipped.scan() };
      },
    );
}
