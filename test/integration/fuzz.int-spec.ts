import { join } from 'node:path';
import { runCommand } from '../support/command-run';
import { REPO_ROOT } from '../support/mlflow-test-env';

// Building arkgate and, on a fresh machine, creating the schemathesis venv come first; the fuzz
// run itself takes about 15 s at this example count.
jest.setTimeout(300_000);

const runFuzzScript = (env: Record<string, string>) =>
  runCommand('bash', [join(REPO_ROOT, 'scripts', 'fuzz.sh')], env);

describe('scripts/fuzz.sh', () => {
  it('finds no 5xx and no non-conforming response, and leaves arkgate alive', async () => {
    const run = await runFuzzScript({ FUZZ_MAX_EXAMPLES: '10', FUZZ_SEED: '1' });

    // The whole output on failure: schemathesis prints each failing case with a curl to replay it.
    expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({
      code: 0,
      output: '',
    });
    expect(run.output).toContain('fuzz: passed; arkgate alive and /health/live 200');
  });
});
