import { Chart, ApiObject, Yaml, Testing } from 'cdk8s';
import { CloudProvider, DataPlaneMode, MultiClusterMesh, TrafficDistribution } from '../src';
const app = Testing.app();
const mesh = new MultiClusterMesh(app, 'mesh', {
  meshId: 'm', dataPlaneMode: DataPlaneMode.AMBIENT,
  clusters: [
    { name: 'east', network: 'net-a', region: 'us-east1', zones: ['us-east1-b', 'us-east1-c'], provider: CloudProvider.GKE },
    { name: 'west', network: 'net-b', region: 'us-west1', zones: ['us-west1-a'], provider: CloudProvider.EKS },
  ],
});
const apps = new Chart(app, 'apps', { namespace: 'default' });
const svcObj = new ApiObject(apps, 'web', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
const dbObj = new ApiObject(apps, 'db', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { ports: [{ port: 5432 }] } });
const web = mesh.addService({ name: 'web', clusters: ['east', 'west'], replicas: { east: 2, west: 2 }, kubernetesServices: { east: svcObj, west: svcObj } });
web.trafficDistribution(TrafficDistribution.PREFER_CLOSE);
const db = mesh.addService({ name: 'db', clusters: ['east', 'west'], kubernetesServices: { east: dbObj, west: dbObj } });
db.keepLocal();
const api = mesh.addService({ name: 'api', clusters: ['east', 'west'], waypoint: 'waypoint' });
api.failover();
console.log(Yaml.stringify(...Testing.synth(apps)));
console.log(Yaml.stringify(...Testing.synth(mesh.cluster('east'))));
console.log(mesh.istiodHelmValues('east'));
console.log(mesh.ztunnelHelmValues('east'));
console.log(JSON.stringify(mesh.explain(web, { from: 'east', notReady: { east: 2 } }), null, 1).slice(0, 1500));
console.log(mesh.trafficReport('east'));
