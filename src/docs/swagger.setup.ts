import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { OpenAiErrorDto } from '../common/errors/openai-error.dto';
import { APP_VERSION } from '../config/app-version';

/** Swagger UI at /docs and the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('arkgate')
    .setDescription(
      'OpenAI-compatible gateway in front of BytePlus ModelArk. Every call becomes an MLflow ' +
        'trace. Errors use OpenAI\'s envelope `{"error": {"message", "type", "param", "code"}}`.',
    )
    .setVersion(APP_VERSION)
    .addTag('OpenAI-compatible', 'Point any OpenAI SDK at /v1')
    .addTag('Chat', 'App-level chat for frontends: JSON and Server-Sent Events')
    .addTag('Auth', 'Browser tokens minted with an API key')
    .addTag('Health')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'An API key or a browser token (agt_...)' },
      'bearer',
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'apiKey')
    // Every /v1 route; the open routes are marked below.
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [OpenAiErrorDto] });
  // EventSource cannot send headers: the SSE GET route also takes a browser token in the query.
  document.paths['/v1/chat/stream']?.get?.parameters?.push({
    name: 'access_token',
    in: 'query',
    required: false,
    description: 'A browser token from POST /v1/tokens (EventSource cannot send headers)',
    schema: { type: 'string' },
  });
  for (const [path, item] of Object.entries(document.paths)) {
    if (path.startsWith('/v1')) continue;
    for (const operation of Object.values(item)) {
      if (typeof operation === 'object' && operation !== null && 'responses' in operation) {
        operation.security = [];
      }
    }
  }
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'arkgate API',
  });
}
