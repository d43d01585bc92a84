import { ChartUnderTest, ofKind, one, selects, type K8sObject } from '../src';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  env?: EnvVar[];
  command?: string[];
  args?: string[];
  securityContext?: { runAsUser?: number; capabilities?: { add?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}

const podSpec = (object: K8sObject) => object.spec.template.spec;
const containersOf = (object: K8sObject): Container[] => [
  ...(podSpec(object).initContainers ?? []),
  ...podSpec(object).containers,
];
const envOf = (container: Container, name: string) => container.env?.find((v) => v.name === name);
const valkey = (objects: K8sObject[]) => one(objects, 'Deployment', 'clustache-valkey');

describe('Redis in the chart: auth, kept volumes, one server per volume', () => {
  let chart: ChartUnderTest;
  let objects: K8sObject[];
  let local: K8sObject[];
  beforeAll(async () => {
    chart = ChartUnderTest.prepare();
    objects = await chart.render({ set: { 'rtb.enabled': 'true' } });
    local = await chart.render({ values: ['values-local.yaml'] });
  });
  afterAll(() => chart.dispose());

  describe('auth on by default', () => {
    it('generates a password Secret, kept on uninstall with the data it protects', () => {
      const secret = one(objects, 'Secret', 'clustache-redis-auth');
      expect(Buffer.from(secret.data.password, 'base64').toString()).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(secret.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    });

    it('gives the API, both RTB roles and the exporter REDIS_PASSWORD from that Secret, and Valkey its ACL from it', () => {
      const ref = { secretKeyRef: { name: 'clustache-redis-auth', key: 'password' } };
      for (const name of ['clustache-api', 'clustache-rtb-api', 'clustache-rtb-aggregator']) {
        const container = podSpec(one(objects, 'Deployment', name)).containers[0];
        expect({ name, env: envOf(container, 'REDIS_PASSWORD') }).toEqual({
          name,
          env: { name: 'REDIS_PASSWORD', valueFrom: ref },
        });
        expect(envOf(container, 'REDIS_URL')!.value).toBe('redis://clustache-valkey.clustache.svc:6379');
      }
      const exporter = containersOf(valkey(objects)).find((c) => c.name === 'metrics')!;
      expect(envOf(exporter, 'REDIS_PASSWORD')).toEqual({ name: 'REDIS_PASSWORD', valueFrom: ref });
      const users = podSpec(valkey(objects)).volumes.find(
        (v: { name: string }) => v.name === 'valkey-users-secret',
      );
      expect(users.secret.secretName).toBe('clustache-redis-auth');
    });

    it('never puts the password into a ConfigMap, a command line or a plain env value', () => {
      const password = Buffer.from(
        one(objects, 'Secret', 'clustache-redis-auth').data.password,
        'base64',
      ).toString();
      const outsideSecrets = objects.filter((object) => object.kind !== 'Secret');
      expect(JSON.stringify(outsideSecrets)).not.toContain(password);
      for (const map of ofKind(objects, 'ConfigMap'))
        expect(JSON.stringify(map)).not.toMatch(/requirepass|password/i);
    });

    it('uses redis.auth.existingSecret instead, when valkey.auth names the same Secret and key', async () => {
      const mine = await chart.render({
        set: {
          'redis.auth.existingSecret': 'shop-redis',
          'redis.auth.existingSecretKey': 'redis-password',
          'valkey.auth.usersExistingSecret': 'shop-redis',
          'valkey.auth.aclUsers.default.passwordKey': 'redis-password',
        },
      });
      expect(ofKind(mine, 'Secret').map((s) => s.metadata.name)).not.toContain('clustache-redis-auth');
      const env = envOf(podSpec(one(mine, 'Deployment', 'clustache-api')).containers[0], 'REDIS_PASSWORD');
      expect(env!.valueFrom).toEqual({ secretKeyRef: { name: 'shop-redis', key: 'redis-password' } });
    });

    it('refuses values where Valkey and its clients would disagree about the password, naming the fix', async () => {
      const secret = await chart.template({ set: { 'redis.auth.existingSecret': 'shop-redis' } });
      expect(secret.code).not.toBe(0);
      expect(secret.stderr).toContain(
        'valkey.auth.usersExistingSecret must name the Secret the API reads (shop-redis)',
      );
      const half = await chart.template({ set: { 'redis.auth.enabled': 'false' } });
      expect(half.stderr).toContain('redis.auth.enabled and valkey.auth.enabled must be equal');
    });

    it('with an external Redis, generates nothing and passes the password of redis.auth.existingSecret, if any', async () => {
      const external = await chart.render({ values: ['ci/external-redis-values.yaml'] });
      expect(ofKind(external, 'Secret').map((s) => s.metadata.name)).not.toContain('clustache-redis-auth');
      const container = podSpec(one(external, 'Deployment', 'clustache-api')).containers[0];
      expect(envOf(container, 'REDIS_PASSWORD')!.valueFrom).toEqual({
        secretKeyRef: { name: 'shared-redis', key: 'redis-password' },
      });
      const none = await chart.render({
        values: ['ci/external-redis-values.yaml'],
        set: { 'redis.auth.existingSecret': '' },
      });
      expect(
        envOf(podSpec(one(none, 'Deployment', 'clustache-api')).containers[0], 'REDIS_PASSWORD'),
      ).toBeUndefined();
    });

    it('turns auth off on both sides together', async () => {
      const open = await chart.render({
        set: { 'redis.auth.enabled': 'false', 'valkey.auth.enabled': 'false' },
      });
      expect(ofKind(open, 'Secret').map((s) => s.metadata.name)).not.toContain('clustache-redis-auth');
      expect(
        envOf(podSpec(one(open, 'Deployment', 'clustache-api')).containers[0], 'REDIS_PASSWORD'),
      ).toBeUndefined();
    });
  });

  describe('NetworkPolicy (redis.networkPolicy.enabled)', () => {
    it('is off by default', () => {
      expect(ofKind(objects, 'NetworkPolicy')).toEqual([]);
    });

    it("selects Valkey's pod and admits the API, the RTB roles and Prometheus, and nothing else", async () => {
      const rendered = await chart.render({
        set: { 'rtb.enabled': 'true', 'redis.networkPolicy.enabled': 'true' },
      });
      const policy = one(rendered, 'NetworkPolicy');
      expect(selects(policy.spec.podSelector, valkey(rendered).spec.template.metadata.labels)).toBe(true);
      const [redisRule, metricsRule] = policy.spec.ingress;
      expect(redisRule.ports).toEqual([{ port: 6379, protocol: 'TCP' }]);
      for (const name of ['clustache-api', 'clustache-rtb-api', 'clustache-rtb-aggregator']) {
        const labels = one(rendered, 'Deployment', name).spec.template.metadata.labels;
        expect({ name, admitted: selects(redisRule.from[0].podSelector, labels) }).toEqual({
          name,
          admitted: true,
        });
      }
      for (const other of ['clustache-valkey', 'clustache-notifications']) {
        const found = ofKind(rendered, 'Deployment').find((d) => d.metadata.name === other);
        if (found)
          expect(selects(redisRule.from[0].podSelector, found.spec.template.metadata.labels)).toBe(false);
      }
      expect(metricsRule.ports).toEqual([{ port: 9121, protocol: 'TCP' }]);
      expect(selects(metricsRule.from[0].podSelector, { 'app.kubernetes.io/name': 'prometheus' })).toBe(true);
    });
  });

  describe('volumes', () => {
    it('keeps every claim the release creates on uninstall (Valkey, Grafana); StatefulSet claims survive by themselves', () => {
      const claims = ofKind(objects, 'PersistentVolumeClaim');
      expect(claims.map((c) => c.metadata.name).sort()).toEqual(['clustache-grafana', 'clustache-valkey-db']);
      for (const claim of claims)
        expect({
          claim: claim.metadata.name,
          policy: claim.metadata.annotations?.['helm.sh/resource-policy'],
        }).toEqual({
          claim: claim.metadata.name,
          policy: 'keep',
        });
    });

    it('mounts the kept claim where Valkey keeps its data', () => {
      const server = podSpec(valkey(objects)).containers.find(
        (c: Container) => c.name === 'clustache-valkey',
      );
      const mount = server.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/data/db');
      const volume = podSpec(valkey(objects)).volumes.find((v: { name: string }) => v.name === mount.name);
      expect(volume.persistentVolumeClaim.claimName).toBe('clustache-valkey-db');
      // Appended to the config Valkey's init container generates, after its own "dir /data".
      expect(one(objects, 'ConfigMap', 'clustache-valkey-config').data['valkey.conf']).toMatch(
        /^dir \/data\/db$/m,
      );
    });

    it('replaces the Valkey pod with Recreate, so two servers never share its volume', () => {
      expect(valkey(objects).spec.strategy).toEqual({ type: 'Recreate' });
      expect(valkey(local).spec.strategy).toEqual({ type: 'Recreate' });
    });

    it('on Docker Desktop, gives the claim to uid 1000 as root (hostpath ignores fsGroup) before the server starts', () => {
      const spec = podSpec(valkey(local));
      const init: Container[] = spec.initContainers;
      const chown = init.findIndex((c) => c.command?.[0] === 'chown');
      expect(chown).toBeGreaterThan(-1);
      expect(init[chown]!.command).toEqual(['chown', '1000:1000', '/data/db']);
      expect(init[chown]!.securityContext).toMatchObject({
        runAsUser: 0,
        capabilities: { drop: ['ALL'], add: ['CHOWN'] },
      });
      expect(init[chown]!.volumeMounts).toEqual([{ name: 'valkey-db', mountPath: '/data/db' }]);
      // Valkey's own init container (before it) writes only /data, an emptyDir that honours fsGroup.
      const data = spec.volumes.find((v: { name: string }) => v.name === 'valkey-data');
      expect(data).toEqual({ name: 'valkey-data', emptyDir: {} });
      expect(spec.containers.every((c: Container) => c.securityContext?.runAsUser !== 0)).toBe(true);
      // Only values-local.yaml runs anything as root.
      expect(containersOf(valkey(objects)).some((c) => c.securityContext?.runAsUser === 0)).toBe(false);
    });
  });
});
