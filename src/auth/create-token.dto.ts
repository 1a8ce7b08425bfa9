import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class CreateTokenDto {
  @ApiProperty({ example: 'user-42', description: 'Recorded as the trace user of every call' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(250)
  userId: string;

  @ApiProperty({ example: 'session-7f3a', description: 'Recorded as the trace session' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(250)
  sessionId: string;

  @ApiPropertyOptional({
    example: 900,
    description:
      'Lifetime; default GATEWAY_TOKEN_DEFAULT_TTL_SECONDS, at most GATEWAY_TOKEN_MAX_TTL_SECONDS',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  ttlSeconds?: number;
}
