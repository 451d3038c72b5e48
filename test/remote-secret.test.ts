import { Chart, Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { ReaderTokenSecret, RemoteSecret, RemoteSecretProps, TokenSource } from '../src';
import { errorOf, validationErrorOf } from './support/errors';
import { synthValidated } from './support/schema';

const REGISTRATION = { server: 'https://10.0.0.2', certificateAuthorityData: 'Q0E=', token: TokenSource.fromEnv('TEST_REMOTE_SECRET_TOKEN') };

describe('RemoteSecret (standalone)', () => {
  beforeAll(() => { process.env.TEST_REMOTE_SECRET_TOKEN = 'token-2'; });

  test('renders what istioctl create-remote-secret prints', () => {
    const chart = new Chart(Testing.app(), 'c1');
    new RemoteSecret(chart, 'c2', { clusterName: 'cluster-2', registration: { ...REGISTRATION, tlsServerName: 'api.c2' } });
    const [secret] = synthValidated(chart);
    expect(secret.metadata).toEqual({
      name: 'istio-remote-secret-cluster-2',
      namespace: 'istio-system',
      labels: { 'istio/multiCluster': 'true' },
      annotations: { 'networking.istio.io/cluster': 'cluster-2' },
    });
    expect(Object.keys(secret.stringData)).toEqual(['cluster-2']);
    expect(parseYaml(secret.stringData['cluster-2'])).toEqual({
      'apiVersion': 'v1',
      'kind': 'Config',
      'clusters': [{ name: 'cluster-2', cluster: { 'server': 'https://10.0.0.2', 'certificate-authority-data': 'Q0E=', 'tls-server-name': 'api.c2' } }],
      'contexts': [{ name: 'cluster-2', context: { cluster: 'cluster-2', user: 'cluster-2' } }],
      'current-context': 'cluster-2',
      'users': [{ name: 'cluster-2', user: { token: 'token-2' } }],
    });
  });

  test.each<[string, unknown, string]>([
    ['no props', undefined, 'RemoteSecret.props: undefined is invalid: props are required'],
    ['no cluster name', { registration: REGISTRATION }, 'RemoteSecret.clusterName: undefined is invalid: not a valid DNS 1123 label'],
    ['a cluster name istioctl refuses', { clusterName: 'Cluster_2', registration: REGISTRATION }, 'RemoteSecret.clusterName: "Cluster_2" is invalid: not a valid DNS 1123 label'],
    ['no registration', { clusterName: 'c2' }, 'RemoteSecret.registration: undefined is invalid: registration is required'],
    ['an http server', { clusterName: 'c2', registration: { ...REGISTRATION, server: 'http://10.0.0.2' } }, 'RemoteSecret.registration.server: "http://10.0.0.2" is invalid: not an https URL'],
    ['a bad Istio namespace', { clusterName: 'c2', registration: REGISTRATION, istioNamespace: 'Bad NS' }, 'RemoteSecret.istioNamespace: "Bad NS" is invalid: not a DNS-1123 label'],
  ])('rejects %s', (_name, props, message) => {
    const err = errorOf(() => new RemoteSecret(new Chart(Testing.app(), 'c1'), 'c2', props as RemoteSecretProps));
    expect(err).toContain(message);
    expect(err).toMatch(/^\[c1\/c2\] RemoteSecret\./);
  });

  test('ReaderTokenSecret checks its namespace', () => {
    const chart = new Chart(Testing.app(), 'c2');
    new ReaderTokenSecret(chart, 'reader', 'istio-system');
    expect(synthValidated(chart)[0].metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'istio-reader-service-account' });
    expect(errorOf(() => new ReaderTokenSecret(new Chart(Testing.app(), 'c2'), 'reader', 'Bad NS')))
      .toContain('ReaderTokenSecret.istioNamespace: "Bad NS" is invalid');
  });
});

describe('RemoteSecret never echoes a token', () => {
  test('a token passed as a plain string is refused without printing it', () => {
    const secretValue = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.very-secret-token';
    const message = errorOf(() => new RemoteSecret(Testing.chart(), 'c2', {
      clusterName: 'c2',
      registration: { ...REGISTRATION, token: secretValue as any },
    }));
    expect(message).toContain(`RemoteSecret.registration.token: <a string of ${secretValue.length} characters, not shown> is invalid: must be a TokenSource`);
    expect(message).not.toContain('very-secret');
    expect(message).not.toContain('eyJ');
  });

  test('a TokenSource from another copy of the package is recognised by its brand', () => {
    process.env.TEST_REMOTE_SECRET_TOKEN = 'token-2';
    const foreign = Object.create(TokenSource.prototype);
    expect(TokenSource._isTokenSource(foreign)).toBe(false);
    const copy = { ...TokenSource.fromEnv('TEST_REMOTE_SECRET_TOKEN') };
    Object.defineProperty(copy, Symbol.for('cdk8s-istio-multicluster.TokenSource'), { value: true });
    expect(TokenSource._isTokenSource(copy)).toBe(true);
  });
});

describe('found by fuzzing: refused with a ValidationError, never a TypeError or a plain Error', () => {
  beforeAll(() => { process.env.TEST_REMOTE_SECRET_TOKEN = 'token-2'; });

  test('TokenSource.fromEnv and fromFile with a name that is not a string', () => {
    const env = validationErrorOf(() => TokenSource.fromEnv(Symbol('x') as any));
    expect([env.constructPath, env.construct, env.field]).toEqual(['TokenSource.fromEnv', 'TokenSource', 'variable']);
    expect(validationErrorOf(() => TokenSource.fromFile(Object.create(null))).field).toBe('path');
    expect(validationErrorOf(() => TokenSource.fromEnv('')).reason).toBe('must be a non-empty string');
  });

  test('a tlsServerName that is not a server name is refused at construction, not at synth', () => {
    for (const tlsServerName of [BigInt(1), 42, '', 'a b']) {
      const e = validationErrorOf(() => new RemoteSecret(new Chart(Testing.app(), 'c1'), 'c2', { clusterName: 'cluster-2', registration: { ...REGISTRATION, tlsServerName: tlsServerName as any } }));
      expect(e.field).toBe('registration.tlsServerName');
    }
  });

  test('a token file that is a folder is "no token there" at synth, not an EISDIR error', () => {
    const chart = new Chart(Testing.app(), 'c1');
    new RemoteSecret(chart, 'c2', { clusterName: 'cluster-2', registration: { ...REGISTRATION, token: TokenSource.fromFile(__dirname) } });
    const e = validationErrorOf(() => Testing.synth(chart));
    expect([e.field, e.value, e.reason]).toEqual(['registration.token', JSON.stringify(`file ${__dirname}`), 'no token found there at synth time']);
  });

  test('the cluster name "constructor" is refused: it is the data key, and cdk8s cannot render it', () => {
    const e = validationErrorOf(() => new RemoteSecret(new Chart(Testing.app(), 'c1'), 'c2', { clusterName: 'constructor', registration: REGISTRATION }));
    expect([e.field, e.reason]).toEqual(['clusterName', 'it is the key of the secret\'s data, and cdk8s cannot render an object with this key']);
  });
});
