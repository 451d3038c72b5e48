import * as fs from 'fs';
import { ApiObject, Lazy, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { brandSymbol, hasBrand, setBrand } from './private/brand';
import { invalid, undisclosed } from './private/invalid';
import { isDns1123Label, UNRENDERABLE_KEY } from './private/istio-rules';
import { compact } from './private/objects';
import { ClusterRegistrationKeys, RemoteSecretPropsKeys } from './private/props-keys';
import { checkUniqueObjects } from './private/registry';
import { validator } from './private/validator';

const TOKEN_SOURCE_BRAND = brandSymbol('TokenSource');

/**
 * Where the reader service-account token of a cluster comes from. The token is read at synth time
 * and lands in the remote secret of every OTHER cluster's chart (`stringData`), so treat the
 * synthesized YAML as a secret: encrypt it (SOPS, sealed-secrets) or keep registration off and
 * run `istioctl create-remote-secret` instead.
 */
export class TokenSource {
  /**
   * Whether `x` is a TokenSource, also one made by another copy of this package. @internal
   */
  public static _isTokenSource(x: unknown): x is TokenSource {
    return hasBrand(x, TOKEN_SOURCE_BRAND);
  }

  /** Read the token from an environment variable at synth time. */
  public static fromEnv(variable: string): TokenSource {
    if (typeof variable !== 'string' || variable === '') invalid('TokenSource.fromEnv', 'TokenSource', 'variable', variable, 'must be a non-empty string', 'an environment variable name such as "GKE_READER_TOKEN"');
    return new TokenSource(`environment variable ${variable}`, () => process.env[variable]);
  }

  /** Read the token from a file at synth time (e.g. written by `kubectl create token`). */
  public static fromFile(path: string): TokenSource {
    if (typeof path !== 'string' || path === '') invalid('TokenSource.fromFile', 'TokenSource', 'path', path, 'must be a non-empty string', 'a file path such as "tokens/gke.token"');
    // a missing file, a folder or an unreadable file: no token there (a ValidationError at synth, not EISDIR)
    return new TokenSource(`file ${path}`, () => {
      try {
        return fs.readFileSync(path, 'utf8').trim();
      } catch {
        return undefined;
      }
    });
  }

  private constructor(
    /** Where the token is read from, for messages. */
    public readonly description: string,
    private readonly read: () => string | undefined,
  ) {
    setBrand(this, TOKEN_SOURCE_BRAND);
  }

  /** @internal */
  public _resolve(scope: Construct, construct: string, field: string): string {
    const token = this.read()?.trim();
    if (!token) invalid(scope, construct, field, this.description, 'no token found there at synth time', 'set the variable or write the file before synthesizing (the token of the istio-reader-service-account)');
    return token;
  }
}

/** How other clusters' istiod reach this cluster's API server (opt-in cluster registration). */
export interface ClusterRegistration {
  /** The API server URL other clusters use, e.g. `https://10.0.0.2`. */
  readonly server: string;
  /** Base64 PEM of the API server's CA (`certificate-authority-data`). */
  readonly certificateAuthorityData: string;
  /** The reader service-account token (a reference, read at synth time). */
  readonly token: TokenSource;
  /** `tls-server-name` when the server address is not in the certificate. @default - none */
  readonly tlsServerName?: string;
}

/** Properties for `RemoteSecret`. */
export interface RemoteSecretProps {
  /** The cluster being registered (its `values.global.multiCluster.clusterName`). */
  readonly clusterName: string;
  /** How to reach it. */
  readonly registration: ClusterRegistration;
  /** The Istio namespace of the cluster that reads the secret. @default 'istio-system' */
  readonly istioNamespace?: string;
}

/**
 * The secret `istioctl create-remote-secret` would print: `istio-remote-secret-<cluster>` with
 * label `istio/multiCluster: "true"` and one data key, the cluster name, holding a kubeconfig.
 * istiod watches such secrets in its own namespace; each key is a cluster ID
 * (`pkg/kube/multicluster/secretcontroller.go`).
 */
export class RemoteSecret extends Construct {
  /** The secret name. */
  public readonly name: string;
  /** The Secret (an escape hatch: `addJsonPatch` works on it, and `ApiObject.of(secret)` returns it). */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: RemoteSecretProps) {
    super(scope, id);
    const v = validator(this, 'RemoteSecret');
    v.props('', props, RemoteSecretPropsKeys, '{ clusterName, registration }');
    const c = props.clusterName;
    // istioctl create-remote-secret: `--name` must be a DNS-1123 label; it becomes the secret
    // name, the data key and the cluster ID.
    if (typeof c !== 'string' || !isDns1123Label(c)) {
      invalid(this, 'RemoteSecret', 'clusterName', c, 'not a valid DNS 1123 label (it becomes the secret name istio-remote-secret-<cluster> and the cluster ID)',
        'lowercase letters, digits and "-", e.g. "cluster-2"');
    }
    if (c === UNRENDERABLE_KEY) invalid(this, 'RemoteSecret', 'clusterName', c, 'it is the key of the secret\'s data, and cdk8s cannot render an object with this key', 'another cluster name');
    const r = props.registration;
    if (r === null || typeof r !== 'object') invalid(this, 'RemoteSecret', 'registration', r, 'registration is required', '{ server, certificateAuthorityData, token }');
    v.knownKeys('registration', r, ClusterRegistrationKeys);
    const istioNamespace = validator(this, 'RemoteSecret').namespace('istioNamespace', props.istioNamespace, 'istio-system');
    if (typeof r.server !== 'string' || !/^https:\/\/[^\s/]+/.test(r.server)) {
      invalid(this, 'RemoteSecret', 'registration.server', r.server, 'not an https URL', 'the API server URL, e.g. "https://10.0.0.2"');
    }
    if (typeof r.certificateAuthorityData !== 'string' || !/^[A-Za-z0-9+/=]+$/.test(r.certificateAuthorityData)) {
      invalid(this, 'RemoteSecret', 'registration.certificateAuthorityData', typeof r.certificateAuthorityData === 'string' ? `<a string of ${r.certificateAuthorityData.length} characters>` : `<${typeof r.certificateAuthorityData}>`, 'not base64', 'the base64 PEM from the cluster\'s kubeconfig (certificate-authority-data)');
    }
    if (r.tlsServerName !== undefined && (typeof r.tlsServerName !== 'string' || !/^\S+$/.test(r.tlsServerName))) {
      invalid(this, 'RemoteSecret', 'registration.tlsServerName', r.tlsServerName, 'not a server name', 'the name in the API server\'s certificate, e.g. "kubernetes.default"');
    }
    if (!TokenSource._isTokenSource(r.token)) {
      // Never echo what was passed: it may be the token itself, and errors end up in CI logs.
      const what = undisclosed(r.token);
      invalid(this, 'RemoteSecret', 'registration.token', what, 'must be a TokenSource (a reference read at synth time, never the token itself)',
        'TokenSource.fromEnv("VAR") or TokenSource.fromFile("path")');
    }
    this.name = `istio-remote-secret-${c}`;
    // The token is read only when the app is synthesized (App.synth validates, then renders;
    // Chart.toJson renders): constructing the mesh, e.g. for the explain CLI, never reads it. The
    // validation makes a missing token stop App.synth before it writes any file.
    const token = (): string => r.token._resolve(this, 'RemoteSecret', 'registration.token');
    // throws the library's ValidationError itself, so a failed synth is still recognised as one
    this.node.addValidation({ validate: () => (token(), []) });
    const kubeconfig = (): string => Yaml.stringify(compact({
      'apiVersion': 'v1',
      'kind': 'Config',
      'clusters': [{ name: c, cluster: { 'server': r.server, 'certificate-authority-data': r.certificateAuthorityData, 'tls-server-name': r.tlsServerName } }],
      'contexts': [{ name: c, context: { cluster: c, user: c } }],
      'current-context': c,
      'users': [{ name: c, user: { token: token() } }],
    }));
    this.apiObject = new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: istioNamespace,
        labels: { 'istio/multiCluster': 'true' },
        annotations: { 'networking.istio.io/cluster': c },
      },
      stringData: { [c]: Lazy.any({ produce: kubeconfig }) as unknown as string },
    });
    checkUniqueObjects(this);
  }
}

/**
 * The long-lived token Secret for `istio-reader-service-account` in the registered cluster
 * (Kubernetes 1.24+ no longer creates one), as `istioctl create-remote-secret` creates it.
 * The service account itself comes from Istio's `base` chart.
 */
export class ReaderTokenSecret extends Construct {
  /** The secret name. */
  public static readonly NAME = 'istio-reader-service-account-istio-remote-secret-token';

  /** The Secret (an escape hatch: `addJsonPatch` works on it, and `ApiObject.of(secret)` returns it). */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, istioNamespace: string = 'istio-system') {
    super(scope, id);
    this.apiObject = new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: ReaderTokenSecret.NAME,
        namespace: validator(this, 'ReaderTokenSecret').namespace('istioNamespace', istioNamespace, 'istio-system'),
        annotations: { 'kubernetes.io/service-account.name': 'istio-reader-service-account' },
      },
      type: 'kubernetes.io/service-account-token',
    });
    checkUniqueObjects(this);
  }
}
