import { toPromptSummary } from './prompt-summary.mapper';

describe(toPromptSummary.name, () => {
  it('takes the newest of the latest versions, the aliases and both descriptions', () => {
    const sut = toPromptSummary({
      name: 'support-agent',
      description: 'Support system prompt',
      last_updated_timestamp: 1_795_523_269_643,
      latest_versions: [
        { name: 'support-agent', version: '9', description: 'Shorter answers' },
        { name: 'support-agent', version: '10', description: 'Friendlier tone' },
      ],
      aliases: [
        { alias: 'production', version: '9' },
        { alias: 'staging', version: '10' },
      ],
    });

    expect(sut).toEqual({
      name: 'support-agent',
      latestVersion: '10',
      aliases: { production: '9', staging: '10' },
      description: 'Support system prompt',
      commitMessage: 'Friendlier tone',
      updatedAt: new Date(1_795_523_269_643).toISOString(),
    });
  });

  it('leaves out what the registry does not know, for a prompt without versions', () => {
    expect(toPromptSummary({ name: 'draft' })).toEqual({ name: 'draft', aliases: {} });
  });
});
