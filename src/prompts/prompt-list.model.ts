import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PromptSummaryDto } from './prompt-summary.model';

/** One page of the prompt registry. */
export class PromptListDto {
  @ApiProperty({ type: [PromptSummaryDto] })
  prompts: PromptSummaryDto[];

  @ApiPropertyOptional({
    description: 'Pass as `page_token` for the next page; absent on the last page',
    example: 'eyJvZmZzZXQiOiA1MH0=',
  })
  nextPageToken?: string;
}
