// A supplement to the exact-field assertions elsewhere: the bundled examples' full output, so any
// change to what lands in a cluster shows up as a reviewed diff. `npx projen test` never rewrites
// it (jest --ci); after an intended change run `npx projen test:update` and review the diff.
import { Testing, Yaml } from 'cdk8s';
import { synthValidated } from './support/schema';
import { ambientMultinetwork } from '../examples/ambient-multinetwork/main';
import { gatewayApiEksAks } from '../examples/gateway-api-eks-aks/main';
import { hybridGkeOnprem } from '../examples/hybrid-gke-onprem/main';
import { tokyoOsaka } from '../examples/tokyo-osaka/main';

test.each([
  ['hybrid-gke-onprem', hybridGkeOnprem],
  ['tokyo-osaka', tokyoOsaka],
  ['gateway-api-eks-aks', gatewayApiEksAks],
  ['ambient-multinetwork', ambientMultinetwork],
])('example %s: every cluster\'s YAML and traffic report', (_name, build) => {
  const mesh = build(Testing.app());
  for (const cluster of mesh.clusterNames) {
    expect(Yaml.stringify(...synthValidated(mesh.cluster(cluster)))).toMatchSnapshot(`${cluster}.k8s.yaml`);
    expect(mesh.trafficReport(cluster)).toMatchSnapshot(`${cluster}.traffic.md`);
  }
  expect(mesh.diagram()).toMatchSnapshot('mesh.md');
});
