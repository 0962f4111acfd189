// The OpenAPI side of §7: the bearer scheme every operation needs (so the Authorize button of
// /docs sends the token), and the 401 and 403 answers of every /v1 operation.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../deps';
import { problems } from '../routes/shared';

export const BEARER_SCHEME = 'bearerAuth';

/** Call after every route is registered and before the document is served. */
export function documentAccessControl(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http', scheme: 'bearer', bearerFormat: 'bm_…',
    description: 'A token from POST /v1/tokens or npm run token:create, or the bootstrap API_ADMIN_TOKEN.',
  });
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route' || !definition.route.path.startsWith('/v1/')) continue;
    definition.route.responses = { ...definition.route.responses, ...problems(401, 403) };
  }
}
