// Proves that docker-compose.yml, the Dockerfile and deploy/ describe one coherent stack: every reference resolves, every image is pinned, and every service looks for PostgreSQL and Temporal where they really are.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { searchAttributeDefinitions } from '../../platform/searchAttributes';

type Service = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  restart?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | { published?: string | number; target?: number })[];
  expose?: (string | number)[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: { test?: string | string[] };
  entrypoint?: string | string[];
  command?: string | string[];
};

const root = resolve(import.meta.dirname, '..', '..');
const readRepoFile = (path: string) => readFileSync(join(root, path), 'utf8');
// `merge: true` resolves the `<<: *ims-image` merge keys the way Compose does.
const services: Record<string, Service> = YAML.parse(readRepoFile('docker-compose.yml'), {
  merge: true,
}).services;
const serviceNames = Object.keys(services);

const VALID_CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];
const IMS_SERVICES = ['ims-migrate', 'ims-worker', 'ims-api'];
// The workflows' own definition, so the compose file cannot drift from what the code registers.
const SEARCH_ATTRIBUTES = Object.fromEntries(
  searchAttributeDefinitions().map(({ name, type }) => [name, type]),
);

/** Compose-style interpolation with each variable unset: `${X:-default}` gives its default. */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*))?\}/g, (match, _name, fallback) =>
    match === '$$' ? '$' : (fallback ?? ''),
  );
}

function environmentOf(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((line) => [line.split('=')[0] ?? '', line.slice(line.indexOf('=') + 1)])
    : Object.entries(raw).map(([key, value]) => [key, String(value ?? '')]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value ?? '')]));
}

/** depends_on as `target -> condition`; the short list form means `service_started`. */
function dependenciesOf(service: Service): Record<string, string> {
  const raw = service.depends_on ?? [];
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(raw).map(([name, spec]) => [name, spec.condition ?? 'service_started']),
  );
}

/** A one-shot job runs to completion: its restart policy never restarts a clean exit. */
function isOneShot(service: Service): boolean {
  return !['always', 'unless-stopped'].includes(service.restart ?? 'no');
}

/** `registry:5000/name:tag@digest` -> name and tag (undefined when untagged). */
function parseImage(image: string): { name: string; tag: string | undefined } {
  const reference = interpolate(image).split('@')[0] ?? '';
  const colon = reference.lastIndexOf(':');
  if (colon <= reference.lastIndexOf('/')) return { name: reference, tag: undefined };
  return { name: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

function imageOf(name: string): { name: string; tag: string | undefined } {
  const image = services[name]?.image;
  if (image === undefined) throw new Error(`service ${name} has no image`);
  return parseImage(image);
}

/** Published host ports, from `[ip:]host:container[/proto]` or the long syntax. */
function hostPortsOf(service: Service): string[] {
  return (service.ports ?? []).flatMap((port) => {
    if (typeof port === 'object')
      return port.published === undefined ? [] : [String(port.published)];
    const parts = interpolate(String(port)).split('/')[0]?.split(':') ?? [];
    return parts.length >= 2 ? [parts[parts.length - 2] ?? ''] : [];
  });
}

/** Container-side ports a service listens on (published or only exposed). */
function containerPortsOf(service: Service): string[] {
  const published = (service.ports ?? []).map((port) =>
    typeof port === 'object'
      ? String(port.target)
      : (interpolate(String(port)).split('/')[0]?.split(':').pop() ?? ''),
  );
  return [...published, ...(service.expose ?? []).map(String)];
}

/** Bind-mount sources inside the repository (`./...`). */
function repoMountsOf(service: Service): string[] {
  return (service.volumes ?? []).flatMap((volume) => {
    const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
    return source?.startsWith('./') ? [source] : [];
  });
}

/** Base images of a Dockerfile's FROM lines, leaving out references to earlier stages. */
function baseImagesOf(dockerfile: string): string[] {
  const lines = [
    ...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim),
  ];
  const stages = lines.map((line) => line[2]?.toLowerCase()).filter(Boolean);
  return lines
    .map((line) => line[1] ?? '')
    .filter((image) => !stages.includes(image.toLowerCase()));
}

describe('docker-compose.yml', () => {
  it('depends only on services that exist, with valid conditions and healthchecks behind service_healthy', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(dependenciesOf(service))) {
        expect(serviceNames, `${name} depends on ${target}`).toContain(target);
        expect(VALID_CONDITIONS, `${name} -> ${target}`).toContain(condition);
        if (condition === 'service_healthy') {
          expect(services[target]?.healthcheck, `${target} needs a healthcheck`).toBeDefined();
        }
      }
    }
  });

  it('waits for one-shot jobs to complete successfully, and only for them', () => {
    const jobs = serviceNames.filter((name) => isOneShot(services[name] ?? {}));
    expect(jobs.sort()).toEqual([
      'ims-migrate',
      'temporal-admin-tools',
      'temporal-create-namespace',
    ]);
    for (const job of jobs) {
      const dependants = serviceNames.filter((name) => job in dependenciesOf(services[name] ?? {}));
      expect(dependants.length, `nothing waits for ${job}`).toBeGreaterThan(0);
    }
    for (const [name, service] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(dependenciesOf(service))) {
        const targetIsJob = jobs.includes(target);
        expect(condition === 'service_completed_successfully', `${name} -> ${target}`).toBe(
          targetIsJob,
        );
      }
    }
  });

  it('pins every image to a tag other than latest', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.image, `${name} has no image`).toBeDefined();
      const { tag } = imageOf(name);
      expect(tag, `${name} is untagged`).toBeTruthy();
      expect(tag, `${name} uses latest`).not.toBe('latest');
    }
  });

  it('does not use the deprecated temporalio/auto-setup image', () => {
    for (const name of serviceNames) {
      expect(imageOf(name).name, name).not.toBe('temporalio/auto-setup');
    }
  });

  it('runs Temporal admin-tools with the same version as the server', () => {
    const server = imageOf('temporal');
    expect(server.name).toBe('temporalio/server');
    for (const name of ['temporal-admin-tools', 'temporal-create-namespace']) {
      const tools = imageOf(name);
      expect(tools.name, name).toBe('temporalio/admin-tools');
      // Older admin-tools tags carry suffixes (1.29.1-tctl-...-cli-...); compare the version.
      expect(tools.tag?.split('-')[0], name).toBe(server.tag);
    }
  });

  it('publishes each host port at most once', () => {
    const ports = Object.values(services).flatMap(hostPortsOf);
    expect(ports.length).toBeGreaterThan(0);
    expect(ports).toEqual([...new Set(ports)]);
  });

  it('points every DATABASE_URL at the ims database on the postgresql service', () => {
    const withDatabase = serviceNames.filter(
      (name) => 'DATABASE_URL' in environmentOf(services[name] ?? {}),
    );
    expect(withDatabase.sort()).toEqual([...IMS_SERVICES].sort());
    for (const name of withDatabase) {
      const url = new URL(environmentOf(services[name] ?? {}).DATABASE_URL ?? '');
      expect(url.protocol, name).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname, name).toBe('postgresql');
      expect(url.port || '5432', name).toBe('5432');
      expect(url.pathname, name).toBe('/ims');
    }
  });

  it('points every TEMPORAL_ADDRESS at the temporal service on port 7233', () => {
    expect(containerPortsOf(services.temporal ?? {})).toContain('7233');
    const withAddress = serviceNames.filter(
      (name) => 'TEMPORAL_ADDRESS' in environmentOf(services[name] ?? {}),
    );
    expect(withAddress).toEqual(expect.arrayContaining(['ims-worker', 'ims-api', 'temporal-ui']));
    for (const name of withAddress) {
      expect(environmentOf(services[name] ?? {}).TEMPORAL_ADDRESS, name).toBe('temporal:7233');
    }
  });

  it('serves the Temporal Web UI only through the IMS, at /temporal with the codec beside it', () => {
    const ui = services['temporal-ui'] ?? {};
    expect(hostPortsOf(ui)).toEqual([]);
    expect(environmentOf(ui)).toMatchObject({
      TEMPORAL_UI_PUBLIC_PATH: '/temporal',
      TEMPORAL_CODEC_ENDPOINT: '/codec',
    });
    expect(environmentOf(services['ims-api'] ?? {}).TEMPORAL_UI_UPSTREAM).toBe(
      'http://temporal-ui:8080',
    );
  });

  it('gives each IMS service the environment it reads', () => {
    const required: Record<string, string[]> = {
      'ims-migrate': ['NODE_ENV', 'LOG_LEVEL', 'DATABASE_URL'],
      'ims-worker': [
        'NODE_ENV',
        'LOG_LEVEL',
        'DATABASE_URL',
        'TEMPORAL_ADDRESS',
        'TEMPORAL_NAMESPACE',
        'TEMPORAL_TASK_QUEUE',
        'WORKFLOW_BUNDLE_PATH',
        'WORKER_MAX_CONCURRENT_ACTIVITIES',
        'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
        'WORKER_METRICS_PORT',
      ],
      'ims-api': [
        'NODE_ENV',
        'LOG_LEVEL',
        'PORT',
        'DATABASE_URL',
        'TEMPORAL_ADDRESS',
        'TEMPORAL_NAMESPACE',
        'TEMPORAL_TASK_QUEUE',
        'WORKER_METRICS_URL',
      ],
    };
    for (const [name, variables] of Object.entries(required)) {
      const environment = environmentOf(services[name] ?? {});
      for (const variable of variables) {
        expect(environment[variable], `${name} ${variable}`).toBeTruthy();
      }
      expect(environment.NODE_ENV, name).toBe('production');
    }
    expect(environmentOf(services['ims-worker'] ?? {}).WORKFLOW_BUNDLE_PATH).toBe(
      '/app/dist/workflow-bundle.js',
    );
  });

  it('has the worker, the API and the namespace job agree on namespace and task queue', () => {
    const worker = environmentOf(services['ims-worker'] ?? {});
    const api = environmentOf(services['ims-api'] ?? {});
    const namespaceJob = environmentOf(services['temporal-create-namespace'] ?? {});
    expect(worker.TEMPORAL_TASK_QUEUE).toBe('ims');
    expect(api.TEMPORAL_TASK_QUEUE).toBe(worker.TEMPORAL_TASK_QUEUE);
    expect(api.TEMPORAL_NAMESPACE).toBe(worker.TEMPORAL_NAMESPACE);
    expect(namespaceJob.TEMPORAL_NAMESPACE).toBe(worker.TEMPORAL_NAMESPACE);
  });

  it('lets the API reach the worker metrics port it is told about', () => {
    const worker = services['ims-worker'] ?? {};
    const port = environmentOf(worker).WORKER_METRICS_PORT;
    const url = new URL(environmentOf(services['ims-api'] ?? {}).WORKER_METRICS_URL ?? '');
    expect(url.hostname).toBe('ims-worker');
    expect(url.port).toBe(port);
    expect(url.pathname).toBe('/metrics');
    expect(containerPortsOf(worker)).toContain(port);
  });

  it('builds IMS services from an existing Dockerfile on a pinned, non-Alpine base', () => {
    const built = serviceNames.filter((name) => services[name]?.build !== undefined);
    expect(built.sort()).toEqual([...IMS_SERVICES].sort());
    for (const name of built) {
      const build = services[name]?.build;
      const context = typeof build === 'string' ? build : (build?.context ?? '.');
      const dockerfile =
        typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile');
      const path = join(context, dockerfile);
      expect(existsSync(join(root, path)), `${name}: ${path}`).toBe(true);
      const bases = baseImagesOf(readRepoFile(path));
      expect(bases.length, path).toBeGreaterThan(0);
      for (const base of bases) {
        expect(base, path).not.toMatch(/alpine/i);
        const { tag } = parseImage(base);
        expect(tag, `${path}: ${base}`).toBeTruthy();
        expect(tag, `${path}: ${base}`).not.toBe('latest');
      }
    }
  });

  it('mounts only repository files that exist', () => {
    const mounts = Object.values(services).flatMap(repoMountsOf);
    expect(mounts.length).toBeGreaterThan(0);
    for (const mount of mounts) {
      expect(existsSync(join(root, mount)), mount).toBe(true);
    }
  });

  it('creates in PostgreSQL every database the stack connects to', () => {
    const initScripts = (services.postgresql?.volumes ?? [])
      .map((volume) => (typeof volume === 'string' ? volume.split(':') : []))
      .filter(([, target]) => target?.startsWith('/docker-entrypoint-initdb.d/'))
      .map(([source]) => readRepoFile(source ?? ''));
    expect(initScripts.length).toBe(1);
    const temporal = environmentOf(services.temporal ?? {});
    for (const database of ['ims', temporal.DBNAME, temporal.VISIBILITY_DBNAME]) {
      expect(initScripts[0], `${database}`).toContain(`CREATE DATABASE ${database}`);
    }
  });

  it('registers the IMS search attributes in the namespace job', () => {
    const job = services['temporal-create-namespace'] ?? {};
    const registered = Object.fromEntries(
      (environmentOf(job).IMS_SEARCH_ATTRIBUTES ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => pair.split('=')),
    );
    expect(registered).toEqual(SEARCH_ATTRIBUTES);
    const scripts = repoMountsOf(job).map(readRepoFile).join('\n');
    expect(scripts).toContain('IMS_SEARCH_ATTRIBUTES');
    expect(scripts).toContain('temporal operator search-attribute create');
    expect(scripts).toContain('temporal operator namespace create');
  });
});

describe('income file storage', () => {
  it('is one volume the API writes and the worker reads, at the configured path', () => {
    for (const name of ['ims-api', 'ims-worker']) {
      const service = services[name] ?? {};
      const environment = environmentOf(service);
      expect(environment.IMPORT_STORAGE_DIR, name).toBe('/var/lib/ims/imports');
      expect(JSON.stringify(service.volumes ?? []), name).toContain(
        'ims-imports:/var/lib/ims/imports',
      );
    }
    expect(readRepoFile('Dockerfile')).toContain('chown node:node /var/lib/ims/imports');
  });
});

describe('Dockerfile', () => {
  it('has every file npm ci needs before it runs (the postinstall applies patches/)', () => {
    const dockerfile = readRepoFile('Dockerfile');
    const packageJson = JSON.parse(readRepoFile('package.json')) as {
      scripts: Record<string, string>;
    };
    const npmCiAt = dockerfile.indexOf('RUN npm ci');
    expect(npmCiAt).toBeGreaterThan(0);
    if (packageJson.scripts.postinstall?.includes('patch-package')) {
      const patchesAt = dockerfile.indexOf('COPY patches');
      expect(patchesAt).toBeGreaterThan(0);
      expect(patchesAt).toBeLessThan(npmCiAt);
    }
  });
});
