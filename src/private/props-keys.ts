/**
 * The keys of every props interface, for `Validator.props` (unknown keys are refused). TypeScript
 * checks each list is exactly its interface's keys, so a new prop cannot be forgotten here.
 * @internal
 */
import type { ClusterLocalPolicyProps } from '../cluster-local-policy';
import type { CrossNetworkGatewayProps, IstiodGatewayProps } from '../cross-network-gateway';
import type { EastWestGatewayProps } from '../east-west-gateway';
import type { EastWestGatewayOperatorProps } from '../east-west-gateway-operator';
import type {
  ExplainCluster, ExplainLocalityLb, ExplainPerClusterRouting, ExplainQuery, ExplainService, ExplainWeightedSubset,
} from '../explain/model';
import type {
  AmbientEastWestGatewayProps, GatewayApiEastWestGatewayProps, GatewayApiGatewayOptions, IstioRemoteGatewayProps,
} from '../gateway-api';
import type { InternetFacingExposureOptions, LoadBalancerExposureOptions, NodePortExposureOptions } from '../gateway-exposure';
import type { EastWestGatewayOptions, GatewayResourceQuantities, GatewayResourceRequirements, GatewayServicePort } from '../gateway-options';
import type { EastWestGatewayAttributes } from '../gateway-reference';
import type { LocalityDistribution, LocalityFailover } from '../locality';
import type { LocalityFailoverRuleProps, RuleSubset } from '../locality-failover-rule';
import type { MeshClusterProps, MultiClusterMeshProps } from '../mesh';
import type { DistributeIntent, FailoverIntent, MeshServiceProps, RoutePerClusterIntent } from '../mesh-service';
import type { NetworkLabelOptions, NetworkLabelProps } from '../network-label';
import type { PerClusterSubsetRoutingProps } from '../per-cluster-subset-routing';
import type { ClusterRegistration, RemoteSecretProps } from '../remote-secret';
import type { ConnectionPoolSettings, OutlierDetection } from '../traffic-policy';
import type { KeysOf } from './validator';

/** @internal */
export const ClusterLocalPolicyPropsKeys: KeysOf<ClusterLocalPolicyProps> = {
  istioVersion: true,
  hosts: true,
  exceptions: true,
  istioNamespace: true,
  configMapName: true,
  revision: true,
  emitConfigMap: true,
};
/** @internal */
export const CrossNetworkGatewayPropsKeys: KeysOf<CrossNetworkGatewayProps> = {
  istioVersion: true,
  gateway: true,
  hosts: true,
  exposedNamespaces: true,
  clusterDomain: true,
  name: true,
};
/** @internal */
export const IstiodGatewayPropsKeys: KeysOf<IstiodGatewayProps> = { gateway: true, revision: true, istioNamespace: true };
/** @internal */
export const EastWestGatewayAttributesKeys: KeysOf<EastWestGatewayAttributes> = {
  network: true,
  namespace: true,
  name: true,
  selector: true,
  revision: true,
  istioNamespace: true,
};
/** @internal */
export const GatewayServicePortKeys: KeysOf<GatewayServicePort> = { name: true, port: true, targetPort: true, nodePort: true, protocol: true };
/** @internal */
export const GatewayResourceQuantitiesKeys: KeysOf<GatewayResourceQuantities> = { cpu: true, memory: true };
/** @internal */
export const GatewayResourceRequirementsKeys: KeysOf<GatewayResourceRequirements> = { requests: true, limits: true };
/** @internal */
export const EastWestGatewayOptionsKeys: KeysOf<EastWestGatewayOptions> = {
  istioVersion: true,
  network: true,
  revision: true,
  namespace: true,
  name: true,
  provider: true,
  exposure: true,
  exposeIstiod: true,
  istioNamespace: true,
  minReplicas: true,
  maxReplicas: true,
  targetCpuUtilizationPercentage: true,
  podDisruptionBudget: true,
  resources: true,
  extraPorts: true,
};
/** @internal */
export const EastWestGatewayPropsKeys: KeysOf<EastWestGatewayProps> = {
  ...EastWestGatewayOptionsKeys,
  createNamespace: true,
  allowSecretAccess: true,
  runAsProxyUser: true,
};
/** @internal */
export const EastWestGatewayOperatorPropsKeys: KeysOf<EastWestGatewayOperatorProps> = { ...EastWestGatewayOptionsKeys, operatorName: true };
/** @internal */
export const LoadBalancerExposureOptionsKeys: KeysOf<LoadBalancerExposureOptions> = { loadBalancerSourceRanges: true, annotations: true };
/** @internal */
export const InternetFacingExposureOptionsKeys: KeysOf<InternetFacingExposureOptions> = {
  ...LoadBalancerExposureOptionsKeys,
  allowFromAnywhere: true,
};
/** @internal */
export const NodePortExposureOptionsKeys: KeysOf<NodePortExposureOptions> = {
  tlsNodePort: true,
  nodeSelector: true,
  sourceRanges: true,
  allowFromAnywhere: true,
};
/** @internal */
export const LocalityFailoverKeys: KeysOf<LocalityFailover> = { from: true, to: true };
/** @internal */
export const LocalityDistributionKeys: KeysOf<LocalityDistribution> = { from: true, to: true };
/** @internal */
export const LocalityFailoverRulePropsKeys: KeysOf<LocalityFailoverRuleProps> = {
  istioVersion: true,
  host: true,
  namespace: true,
  name: true,
  exportTo: true,
  enabled: true,
  failover: true,
  failoverPriority: true,
  distribute: true,
  outlierDetection: true,
  defaultOutlierDetection: true,
  loadBalancer: true,
  connectionPool: true,
  endpointLabels: true,
};
/** @internal */
export const RuleSubsetKeys: KeysOf<RuleSubset> = { name: true, labels: true };
/** @internal */
export const MeshClusterPropsKeys: KeysOf<MeshClusterProps> = {
  name: true,
  network: true,
  region: true,
  zones: true,
  subzones: true,
  provider: true,
  exposure: true,
  existingGateway: true,
  registration: true,
  labels: true,
  istioVersion: true,
  kubernetesVersion: true,
};
/** @internal */
export const MultiClusterMeshPropsKeys: KeysOf<MultiClusterMeshProps> = {
  gatewayApi: true,
  dataPlaneMode: true,
  istioVersion: true,
  kubernetesVersion: true,
  exposedHosts: true,
  strict: true,
  meshId: true,
  revision: true,
  clusters: true,
  gatewayNamespace: true,
  istioNamespace: true,
};
/** @internal */
export const MeshServicePropsKeys: KeysOf<MeshServiceProps> = {
  name: true,
  namespace: true,
  clusters: true,
  clients: true,
  replicas: true,
  clusterDomain: true,
  kubernetesServices: true,
  waypoint: true,
};
/** @internal */
export const FailoverIntentKeys: KeysOf<FailoverIntent> = {
  failover: true,
  failoverPriority: true,
  outlierDetection: true,
  loadBalancer: true,
  connectionPool: true,
};
/** @internal */
export const DistributeIntentKeys: KeysOf<DistributeIntent> = { distribute: true, outlierDetection: true, loadBalancer: true, connectionPool: true };
/** @internal */
export const RoutePerClusterIntentKeys: KeysOf<RoutePerClusterIntent> = { fallbackToAllClusters: true };
/** @internal */
export const NetworkLabelOptionsKeys: KeysOf<NetworkLabelOptions> = { istioNamespace: true, protectFromDeletion: true };
/** @internal */
export const NetworkLabelPropsKeys: KeysOf<NetworkLabelProps> = { ...NetworkLabelOptionsKeys, network: true, gateway: true };
/** @internal */
export const PerClusterSubsetRoutingPropsKeys: KeysOf<PerClusterSubsetRoutingProps> = {
  istioVersion: true,
  host: true,
  clusters: true,
  namespace: true,
  name: true,
  destinationRule: true,
  fallbackToAllClusters: true,
  exportTo: true,
};
/** @internal */
export const ClusterRegistrationKeys: KeysOf<ClusterRegistration> = {
  server: true,
  certificateAuthorityData: true,
  token: true,
  tlsServerName: true,
};
/** @internal */
export const RemoteSecretPropsKeys: KeysOf<RemoteSecretProps> = { clusterName: true, registration: true, istioNamespace: true };
/** @internal */
export const OutlierDetectionKeys: KeysOf<OutlierDetection> = {
  consecutive5xxErrors: true,
  consecutiveGatewayErrors: true,
  consecutiveLocalOriginFailures: true,
  splitExternalLocalOriginErrors: true,
  interval: true,
  baseEjectionTime: true,
  maxEjectionPercent: true,
  minHealthPercent: true,
};
/** @internal */
export const ConnectionPoolSettingsKeys: KeysOf<ConnectionPoolSettings> = {
  maxConnections: true,
  connectTimeout: true,
  http1MaxPendingRequests: true,
  http2MaxRequests: true,
  maxRequestsPerConnection: true,
  maxRetries: true,
  idleTimeout: true,
};
/** @internal */
export const ExplainClusterKeys: KeysOf<ExplainCluster> = {
  name: true, network: true, region: true, zones: true, labels: true, subzones: true, istioVersion: true,
};
/** @internal */
export const ExplainLocalityLbKeys: KeysOf<ExplainLocalityLb> = {
  hasLocalityLbSetting: true,
  enabled: true,
  failover: true,
  failoverPriority: true,
  distribute: true,
  outlierDetection: true,
  minHealthPercent: true,
  maxEjectionPercent: true,
  consecutive5xxErrors: true,
  consecutiveGatewayErrors: true,
  splitExternalLocalOriginErrors: true,
};
/** @internal */
export const ExplainPerClusterRoutingKeys: KeysOf<ExplainPerClusterRouting> = { clusters: true, fallbackToAllClusters: true };
/** @internal */
export const ExplainWeightedSubsetKeys: KeysOf<ExplainWeightedSubset> = {
  name: true,
  weight: true,
  clusters: true,
  replicas: true,
  healthyOverride: true,
};
/** @internal */
export const ExplainServiceKeys: KeysOf<ExplainService> = {
  proxy: true,
  trafficDistribution: true,
  host: true,
  replicas: true,
  localityLb: true,
  clusterLocal: true,
  perClusterRouting: true,
  weightedSubsets: true,
};
/** @internal */
export const ExplainQueryKeys: KeysOf<ExplainQuery> = { from: true, zone: true, subzone: true, healthy: true, drained: true, notReady: true };
/** @internal */
export const GatewayApiGatewayOptionsKeys: KeysOf<GatewayApiGatewayOptions> = {
  network: true,
  name: true,
  namespace: true,
  revision: true,
  istioVersion: true,
  provider: true,
  exposure: true,
  infrastructureLabels: true,
  addresses: true,
};
/** @internal */
export const GatewayApiEastWestGatewayPropsKeys: KeysOf<GatewayApiEastWestGatewayProps> = { ...GatewayApiGatewayOptionsKeys, hosts: true };
/** @internal */
export const AmbientEastWestGatewayPropsKeys: KeysOf<AmbientEastWestGatewayProps> = { ...GatewayApiGatewayOptionsKeys };
/** @internal */
export const IstioRemoteGatewayPropsKeys: KeysOf<IstioRemoteGatewayProps> = {
  network: true, addresses: true, name: true, namespace: true, istioVersion: true,
};
