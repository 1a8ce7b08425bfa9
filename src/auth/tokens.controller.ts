import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator';
import { SkipTracing } from '../tracing/skip-tracing.decorator';
import { unauthenticated } from './auth.errors';
import { BrowserTokenService } from './browser-token.service';
import { CreateTokenDto } from './create-token.dto';
import { TokenDto } from './token-response.dto';

@ApiTags('Auth')
@SkipTracing()
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: BrowserTokenService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mint a short-lived browser token (API key required)',
    description:
      'The token is bound to the user and session given here (the trace takes them from it, ' +
      'whatever the browser claims) and may only call POST /v1/chat, POST and GET ' +
      '/v1/chat/stream (also as `?access_token=` for EventSource) and POST ' +
      '/v1/traces/{traceId}/feedback. Elsewhere it is refused with 403.',
  })
  @ApiOkResponse({ type: TokenDto })
  @ApiErrorResponses(400, 401, 429, 503)
  create(@Body() body: CreateTokenDto, @Req() request: FastifyRequest): TokenDto {
    const principal = request.principal;
    // Without auth there is no key to bind the token to (and TOKEN_ROUTES keeps tokens out).
    if (principal?.kind !== 'key') throw unauthenticated('Minting a token needs an API key');
    return this.tokens.mint(principal.name, body.userId, body.sessionId, body.ttlSeconds);
  }
}
