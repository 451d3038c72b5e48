import { Construct } from 'constructs';
import { subtree, withTreeIndex } from '../src/private/tree';

describe('one walk of the tree per synth (subtree)', () => {
  const tree = () => {
    const root = new Construct(undefined as unknown as Construct, 'root');
    const a = new Construct(root, 'a');
    const b = new Construct(root, 'b');
    new Construct(new Construct(a, 'a1'), 'a11');
    new Construct(a, 'a2');
    new Construct(b, 'b1');
    return { root, a, b };
  };

  test('is findAll() for the root and its children, and for deeper scopes', () => {
    const { root, a, b } = tree();
    const deep = a.node.findChild('a1');
    withTreeIndex(root, (all) => {
      expect(all).toEqual(root.node.findAll());
      for (const scope of [root, a, b, deep]) expect(subtree(scope)).toEqual(scope.node.findAll());
    });
  });

  test('walks again for a scope that got another child, and after the synth', () => {
    const { root, a } = tree();
    withTreeIndex(root, () => {
      new Construct(a, 'late');
      expect(subtree(a).map((c) => c.node.id)).toContain('late');
      expect(subtree(a)).toEqual(a.node.findAll());
    });
    new Construct(a, 'later');
    expect(subtree(a).map((c) => c.node.id)).toContain('later');
  });

  test('returns a fresh array each time', () => {
    const { root, a } = tree();
    withTreeIndex(root, () => {
      subtree(a).pop();
      expect(subtree(a)).toEqual(a.node.findAll());
    });
  });
});
