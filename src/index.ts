// The public API, name by name: the modules also hold @internal helpers (validators, renderers,
// the CLI registry) that must not become importable from the package root. API.md lists the same
// names; test/public-api.test.ts keeps the two in step.
export { TopologyLabel } from './labels';
export { LoadBalancerAlgorithm } from './traffic-policy';
export type { ConnectionPoolSettings, OutlierDetection } from './traffic-policy';
export { LocalityFailoverRule, ServiceHost } from './locality-failover-rule';
export type { LocalityFailoverRuleProps, RuleSubset } from './locality-failover-rule';
export type { LocalityDistribution, LocalityFailover } from './locality';
export { PerClusterSubsetRouting } from './per-cluster-subset-routing';
export type { PerClusterSubsetRoutingProps } from './per-cluster-subset-routing';
export { ClusterLocalPolicy } from './cluster-local-policy';
export type { ClusterLocalPolicyProps } from './cluster-local-policy';
export { CloudProvider, GatewayExposure, GatewayServiceType } from './gateway-exposure';
export type { InternetFacingExposureOptions, LoadBalancerExposureOptions, NodePortExposureOptions } from './gateway-exposure';
export { EastWestGatewayOperator } from './east-west-gateway-operator';
export { EastWestGateway } from './east-west-gateway';
export { GatewayDisruptionBudget, GatewayPortProtocol } from './gateway-options';
export type { EastWestGatewayOperatorProps } from './east-west-gateway-operator';
export type { EastWestGatewayProps } from './east-west-gateway';
export type { EastWestGatewayOptions, GatewayResourceQuantities, GatewayResourceRequirements, GatewayServicePort } from './gateway-options';
export type { EastWestGatewayAttributes, IEastWestGateway } from './gateway-reference';
export { CrossNetworkGateway, IstiodGateway } from './cross-network-gateway';
export { AmbientEastWestGateway, GatewayAddress, GatewayAddressType, GatewayApiEastWestGateway, IstioRemoteGateway } from './gateway-api';
export type { AmbientEastWestGatewayProps, GatewayApiEastWestGatewayProps, GatewayApiGatewayOptions, IstioRemoteGatewayProps } from './gateway-api';
export type { CrossNetworkGatewayProps, IstiodGatewayProps } from './cross-network-gateway';
export { NetworkLabel } from './network-label';
export type { NetworkLabelOptions, NetworkLabelProps } from './network-label';
export { ReaderTokenSecret, RemoteSecret, TokenSource } from './remote-secret';
export type { ClusterRegistration, RemoteSecretProps } from './remote-secret';
export { MeshService } from './mesh-service';
export { DataPlaneMode, MultiClusterMesh } from './mesh';
export { MeshApp } from './mesh-app';
export type { DistributeIntent, FailoverIntent, MeshServiceProps, RoutePerClusterIntent } from './mesh-service';
export type { MeshClusterProps, MultiClusterMeshProps } from './mesh';
export type {
  ClusterShare, ExplainCluster, ExplainLocalityLb, ExplainPerClusterRouting, ExplainQuery, ExplainResult,
  ExplainService, ExplainWeightedSubset, LocalityGroup, PriorityLevel, RouteShare,
} from './explain/model';
export { ExplainProxy, LocalitySettingSource } from './explain/model';
export { TrafficExplainer } from './explain/engine';
export { IstioVersion, KubernetesVersion, TrafficDistribution } from './versions';
export { TrafficReport } from './explain/report';
export { MeshDiagram } from './explain/mermaid';
export { Errors } from './errors';
export { Warnings } from './warnings';
export type { ValidationWarning } from './warnings';
