import { ApiProperty } from '@nestjs/swagger';

/** A minted browser token and when it stops working. */
export class TokenDto {
  @ApiProperty({ example: 'agt_eyJ2IjoxLCJrIjoid2ViIiwidSI6InVzZXItNDIi....' })
  token: string;

  @ApiProperty({ example: '2026-11-24T11:15:00.000Z' })
  expiresAt: string;
}
