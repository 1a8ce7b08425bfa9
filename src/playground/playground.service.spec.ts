import type { ConfigType } from '@nestjs/config';
import type { arkConfig } from '../config/ark.config';
import type { authConfig } from '../config/auth.config';
import type { mlflowConfig } from '../config/mlflow.config';
import type { tracingConfig } from '../config/tracing.config';
import type { ExperimentIdLookup } from './experiment-id.lookup';
import { PlaygroundService } from './playground.service';

describe(PlaygroundService.name, () => {
  function setup(
    options: { disabled?: boolean; tokenSecret?: string; tracing?: boolean; keyHint?: string } = {},
  ) {
    const experiments = { resolve: jest.fn().mockResolvedValue('3') };
    const sut = new PlaygroundService(
      {
        disabled: options.disabled ?? false,
        tokenSecret: options.tokenSecret,
      } as ConfigType<typeof authConfig>,
      { defaultModel: undefined } as ConfigType<typeof arkConfig>,
      { uiUrl: 'http://mlflow.example.com', experimentName: 'BytePlus' } as ConfigType<
        typeof mlflowConfig
      >,
      { enabled: options.tracing ?? true } as ConfigType<typeof tracingConfig>,
      { enabled: true, keyHint: options.keyHint },
      experiments as unknown as ExperimentIdLookup,
    );
    return { sut, mocks: { experiments } };
  }

  it('says auth and tokens are on when a token secret is set, with the experiment id', async () => {
    const { sut } = setup({ tokenSecret: 'x'.repeat(32) });

    expect(await sut.config()).toEqual({
      authRequired: true,
      tokensEnabled: true,
      tracingEnabled: true,
      mlflowUiUrl: 'http://mlflow.example.com',
      experimentName: 'BytePlus',
      experimentId: '3',
      defaultModel: '',
      keyHint: null,
    });
  });

  it("suggests the demo's key when PLAYGROUND_KEY_HINT is set", async () => {
    const { sut } = setup({ keyHint: 'sk-demo' });

    expect(await sut.config()).toMatchObject({ keyHint: 'sk-demo' });
  });

  it('says tokens are off with auth off, whatever the secret', async () => {
    const { sut } = setup({ disabled: true, tokenSecret: 'x'.repeat(32) });

    expect(await sut.config()).toMatchObject({ authRequired: false, tokensEnabled: false });
  });

  it('does not ask MLflow for the experiment when nothing is traced', async () => {
    const { sut, mocks } = setup({ tracing: false });

    expect((await sut.config()).experimentId).toBeNull();
    expect(mocks.experiments.resolve).not.toHaveBeenCalled();
  });
});
