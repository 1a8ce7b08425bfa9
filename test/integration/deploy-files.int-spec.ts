import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCommand } from '../support/command-run';
import { REPO_ROOT } from '../support/mlflow-test-env';

// On a fresh machine the scripts first create the checkers' venv (about a minute).
jest.setTimeout(300_000);

const K8S_DIR = join(REPO_ROOT, 'deploy', 'k8s');
const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const CHECK_VENV = process.env.DEPLOY_CHECK_VENV ?? join(REPO_ROOT, '.cache', 'deploy-check-venv');

const run = runCommand;

const script = (name: string, args: string[] = [], env: Record<string, string> = {}) =>
  run('bash', [join(REPO_ROOT, 'scripts', name), ...args], env);

const lines = (output: string, prefix: string) =>
  output.split('\n').filter((line) => line.startsWith(prefix));

const tempDirs: string[] = [];

/** A copy of deploy/k8s with `edit` applied to the text of one file. */
function brokenK8sCopy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'arkgate-k8s-'));
  tempDirs.push(dir);
  for (const name of readdirSync(K8S_DIR)) copyFileSync(join(K8S_DIR, name), join(dir, name));
  const text = readFileSync(join(dir, file), 'utf8');
  const edited = edit(text);
  if (edited === text) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(join(dir, file), edited);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A parsed manifest or Compose model, read field by field as the tests need. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = Record<string, any>;

function manifests(): Manifest[] {
  return readdirSync(K8S_DIR)
    .filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')
    .flatMap((name) =>
      parseAllDocuments(readFileSync(join(K8S_DIR, name), 'utf8')).map((doc) => doc.toJS()),
    );
}

const find = (kind: string, name: string): Manifest => {
  const found = manifests().find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in deploy/k8s`);
  return found;
};

const EXPECTED_K8S_OBJECTS = [
  'configmap/arkgate-config',
  'deployment/arkgate-worker',
  'horizontalpodautoscaler/arkgate-api',
  'namespace/arkgate',
  'poddisruptionbudget/arkgate-api',
  'poddisruptionbudget/arkgate-worker',
  'secret/arkgate-secrets',
  'service/arkgate',
  'service/arkgate-api-pods',
  'service/arkgate-worker-metrics',
  'statefulset/arkgate-api',
];

describe('Kubernetes manifests (scripts/k8s-validate.sh)', () => {
  it('pass strict schema validation for Kubernetes 1.30 and 1.37, and fit together', async () => {
    const result = await script('k8s-validate.sh');

    expect({
      code: result.code,
      problems: lines(result.output, 'ERROR').concat(lines(result.output, 'WARN')),
    }).toEqual({
      code: 0,
      problems: [],
    });
    for (const version of ['1.30', '1.37']) {
      const passed = lines(result.output, 'INFO ')
        .filter((line) => line.endsWith(`against version ${version}`))
        .map((line) => /passed for resource (\S+) against/.exec(line)?.[1])
        .sort();
      expect(passed).toEqual(EXPECTED_K8S_OBJECTS);
    }
    expect(result.output).toContain(`OK ${K8S_DIR}: 11 objects in 11 files fit together`);
    expect(result.output).toContain('k8s manifests valid (strict) against Kubernetes 1.30 1.37');
  });

  it.each([
    {
      broken: 'an unknown field',
      file: 'api-statefulset.yaml',
      edit: (text: string) => text.replace('readinessProbe:', 'readinesProbe:'),
      reported:
        'did not validate for resource statefulset/arkgate-api against version 1.37: ' +
        "spec.template.spec.containers.0: Additional properties are not allowed ('readinesProbe' was unexpected)",
    },
    {
      broken: 'a value of the wrong type',
      file: 'api-hpa.yaml',
      edit: (text: string) => text.replace('averageUtilization: 70', 'averageUtilization: "70%"'),
      reported: "spec.metrics.0.resource.target.averageUtilization: '70%' is not of type 'integer'",
    },
    {
      broken: 'a kind the schemas do not know',
      file: 'worker-pdb.yaml',
      edit: (text: string) => text.replace('kind: PodDisruptionBudget', 'kind: PodDisruptionBuget'),
      reported: "Couldn't find schema for kind PodDisruptionBuget with api version policy/v1",
    },
    {
      broken: 'a ConfigMap that does not exist',
      file: 'worker-deployment.yaml',
      edit: (text: string) => text.replace('name: arkgate-config', 'name: arkgate-confg'),
      reported:
        'ERROR worker-deployment.yaml Deployment/arkgate-worker container worker: ' +
        'configMapRef arkgate-confg is not in the folder',
    },
    {
      broken: 'a probe on a port the container does not name',
      file: 'api-statefulset.yaml',
      edit: (text: string) =>
        text.replace(
          'path: /health/ready\n              port: http',
          'path: /health/ready\n              port: web',
        ),
      reported:
        'container arkgate: readinessProbe uses port web, which the container does not name',
    },
    {
      broken: 'a selector that misses the pods',
      file: 'api-pdb.yaml',
      edit: (text: string) => text.replace(/component: api\n$/, 'component: apis\n'),
      reported: 'ERROR api-pdb.yaml PodDisruptionBudget/arkgate-api: reaches no workload here',
    },
    {
      broken: 'a resource kustomization.yaml lists but is not there',
      file: 'kustomization.yaml',
      edit: (text: string) =>
        text.replace('  - worker-pdb.yaml\n', '  - worker-pdb.yaml\n  - ingress.yaml\n'),
      reported: 'ERROR kustomization.yaml: lists ingress.yaml, which is not in',
    },
  ])('reject a copy with $broken', async ({ file, edit, reported }) => {
    const dir = brokenK8sCopy(file, edit);

    const result = await script('k8s-validate.sh', [dir], { K8S_VERSIONS: '1.37' });

    expect(result.code).toBe(1);
    expect(result.output).toContain(reported);
    expect(result.output).toContain('k8s manifests INVALID');
  });

  it('probe the health routes, drain within the grace period and keep the spool on a volume', () => {
    const config = find('ConfigMap', 'arkgate-config').data;
    const api = find('StatefulSet', 'arkgate-api');
    const pod = api.spec.template.spec;
    const [container] = pod.containers;

    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000 }]);
    expect(container.env).toContainEqual({ name: 'WORKER_ENABLED', value: 'false' });
    const preStopSeconds = Number(container.lifecycle.preStop.exec.command[1]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      preStopSeconds + Number(config.SHUTDOWN_TIMEOUT_MS) / 1000,
    );
    // The spool: EXPORT_SPOOL_DIR is a claim of each pod's own, kept across pod deletion.
    expect(container.volumeMounts).toContainEqual({
      name: 'spool',
      mountPath: config.EXPORT_SPOOL_DIR,
    });
    expect(api.spec.volumeClaimTemplates.map((claim: Manifest) => claim.metadata.name)).toEqual([
      'spool',
    ]);
    expect(api.spec.persistentVolumeClaimRetentionPolicy).toEqual({
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });

    const hpa = find('HorizontalPodAutoscaler', 'arkgate-api').spec;
    expect(hpa.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: 'arkgate-api',
    });
    expect(hpa.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ]);
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);

    const worker = find('Deployment', 'arkgate-worker').spec.template.spec.containers[0];
    expect(worker.command).toEqual(['node', 'dist/worker.js']);
    expect(worker.ports).toEqual([
      { name: 'metrics', containerPort: Number(config.WORKER_METRICS_PORT) },
    ]);
    expect(worker.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'metrics' });

    for (const workload of [api, find('Deployment', 'arkgate-worker')]) {
      const spec = workload.spec.template.spec;
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const c of spec.containers) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.envFrom).toEqual([
          { configMapRef: { name: 'arkgate-config' } },
          { secretRef: { name: 'arkgate-secrets' } },
        ]);
      }
    }
  });
});

const DEFAULT_SERVICES = [
  'arkgate',
  'arkgate-worker',
  'minio',
  'minio-init',
  'mlflow',
  'postgres',
  'redis',
];
const SCALE_SERVICES = [
  'arkgate-api-1',
  'arkgate-api-2',
  'arkgate-lb',
  'arkgate-scale-worker',
  'mlflow-2',
  'redis-primary',
  'redis-replica',
  'redis-sentinel-1',
  'redis-sentinel-2',
  'redis-sentinel-3',
];

/** `docker compose [--profile scale] config` as JSON, from the Compose CLI the script installed. */
async function composeConfig(...args: string[]): Promise<Manifest> {
  const result = await run(join(CHECK_VENV, 'bin', 'docker-compose'), [
    '--env-file',
    '/dev/null',
    '-f',
    COMPOSE_FILE,
    ...args,
    'config',
    '--format',
    'json',
  ]);
  if (result.code !== 0) throw new Error(`docker-compose config failed:\n${result.output}`);
  return JSON.parse(result.output);
}

describe('docker-compose.yml (scripts/compose-check.sh)', () => {
  it('is accepted by Compose without a profile and with the scale profile', async () => {
    const result = await script('compose-check.sh');

    expect({ code: result.code, output: result.code === 0 ? '' : result.output }).toEqual({
      code: 0,
      output: '',
    });
    expect(result.output).toMatch(/^Docker Compose version v\d+\.\d+\.\d+$/m);
    expect(lines(result.output, 'compose (')).toEqual([
      `compose (default): valid; services: ${DEFAULT_SERVICES.join(' ')}`,
      `compose (--profile scale): valid; services: ${[...DEFAULT_SERVICES, ...SCALE_SERVICES].sort().join(' ')}`,
    ]);
  });

  it('keeps the default stack as it was, and puts every scale service in the profile', async () => {
    const plain = await composeConfig();
    const scaled = await composeConfig('--profile', 'scale');

    expect(plain.services.arkgate.environment).toMatchObject({
      REDIS_URL: 'redis://redis:6379',
      MLFLOW_TRACKING_URI: 'http://mlflow:5000',
      WORKER_ENABLED: 'false',
    });
    expect(plain.services.arkgate.volumes).toEqual([
      { type: 'volume', source: 'arkgate-spool', target: '/app/data/spool', volume: {} },
    ]);
    expect(plain.services.arkgate.ports).toEqual([
      { mode: 'ingress', target: 3000, published: '3000', protocol: 'tcp' },
    ]);
    for (const name of DEFAULT_SERVICES) expect(plain.services[name].profiles).toBeUndefined();
    for (const name of SCALE_SERVICES) expect(scaled.services[name].profiles).toEqual(['scale']);
    // The default stack is the same with or without the profile.
    for (const name of DEFAULT_SERVICES)
      expect(scaled.services[name]).toEqual(plain.services[name]);
  });

  it('runs the scale profile on Sentinel, two tracking servers, and a spool per API replica', async () => {
    const { services } = await composeConfig('--profile', 'scale');

    const spools = new Set<string>();
    for (const name of ['arkgate-api-1', 'arkgate-api-2']) {
      const environment = services[name].environment;
      expect(environment).toMatchObject({
        REDIS_SENTINELS: 'redis-sentinel-1:26379,redis-sentinel-2:26379,redis-sentinel-3:26379',
        REDIS_SENTINEL_MASTER_NAME: 'mymaster',
        MLFLOW_TRACKING_URI: 'http://mlflow:5000,http://mlflow-2:5000',
        WORKER_ENABLED: 'false',
      });
      expect(environment.REDIS_URL).toBeUndefined();
      const [spool] = services[name].volumes;
      expect(spool.target).toBe('/app/data/spool');
      spools.add(spool.source);
    }
    expect(spools.size).toBe(2);

    const worker = services['arkgate-scale-worker'];
    expect(worker.command).toEqual(['node', 'dist/worker.js']);
    expect(worker.deploy.replicas).toBe(2);
    expect(worker.environment.REDIS_URL).toBeUndefined();
    expect(worker.environment.REDIS_SENTINELS).toBe(
      services['arkgate-api-1'].environment.REDIS_SENTINELS,
    );

    expect(services['mlflow-2'].command).toEqual(services.mlflow.command);
    expect(services['mlflow-2'].depends_on.mlflow.condition).toBe('service_healthy');

    for (const n of [1, 2, 3]) {
      const sentinel = services[`redis-sentinel-${n}`];
      expect(sentinel.environment.ANNOUNCE_HOST).toBe(`redis-sentinel-${n}`);
      const config = sentinel.command[2] as string;
      // Hostnames must be switched on before the `monitor` line names the primary by its name.
      expect(config.indexOf('sentinel resolve-hostnames yes')).toBeGreaterThan(-1);
      expect(config.indexOf('sentinel resolve-hostnames yes')).toBeLessThan(
        config.indexOf('sentinel monitor mymaster redis-primary 6379 2'),
      );
      expect(config).toContain('sentinel announce-hostnames yes');
      expect(config).toContain(
        'exec docker-entrypoint.sh redis-server /data/sentinel.conf --sentinel',
      );
    }
    expect(services['redis-replica'].environment.REPLICA_OF).toBe('replicaof redis-primary 6379');
  });

  it('rejects a file whose default stack needs a scale service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arkgate-compose-'));
    tempDirs.push(dir);
    const text = readFileSync(COMPOSE_FILE, 'utf8');
    const broken = text.replace(
      '    depends_on:\n      redis:\n        condition: service_healthy\n',
      '    depends_on:\n      redis-primary:\n        condition: service_healthy\n',
    );
    expect(broken).not.toBe(text);
    writeFileSync(join(dir, 'docker-compose.yml'), broken);

    const result = await script('compose-check.sh', [join(dir, 'docker-compose.yml')]);

    expect(result.code).toBe(1);
    expect(result.output).toContain('depends on undefined service "redis-primary"');
    expect(lines(result.output, 'compose (')).toEqual([
      'compose (default): INVALID',
      expect.stringMatching(/^compose \(--profile scale\): valid; services: /),
    ]);
  });
});
