export * from './labels';
export * from './traffic-policy';
export * from './locality-failover-rule';
export * from './per-cluster-subset-routing';
export * from './cluster-local-policy';
export * from './gateway-exposure';
export * from './east-west-gateway';
export * from './cross-network-gateway';
export * from './network-label';
export * from './remote-secret';
export * from './mesh';
export * from './explain/model';
export * from './explain/engine';
export * from './explain/report';
export * from './explain/mermaid';

