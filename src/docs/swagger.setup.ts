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
    .addTag('Health')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [OpenAiErrorDto] });
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'arkgate API',
  });
}
