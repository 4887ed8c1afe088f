//! YAML CI systems read without a model of their jobs (Azure Pipelines,
//! Bitbucket, Travis, Buildkite): every `KEY: value` entry and `KEY=value`
//! list item, wherever it sits.

use crate::ci::issue::KeyPath;
use crate::ci::yaml::Node;

/// One environment-like entry found by [`walk_env`].
pub struct EnvEntry<'a> {
    pub key: &'a str,
    pub value: &'a str,
    /// The value's node (for a `KEY=value` item, the item).
    pub node: &'a Node,
    pub path: KeyPath,
}

/// Every `KEY: value` mapping entry with a scalar value and every
/// `KEY=value` scalar (a sequence item, or a value read a second time), in document order, with its key path (an
/// explicit stack: no recursion on input depth).
pub fn walk_env<'a>(root: &'a Node, f: &mut dyn FnMut(EnvEntry<'a>)) {
    enum Seg<'a> {
        None,
        Key(&'a str),
        Index(usize),
    }
    // (depth of the parent path, the segment leading here, the node).
    let mut stack: Vec<(usize, Seg<'a>, &'a Node)> = vec![(0, Seg::None, root)];
    let mut path = KeyPath::root();
    while let Some((depth, seg, node)) = stack.pop() {
        path.truncate(depth);
        let depth = match seg {
            Seg::None => depth,
            Seg::Key(k) => {
                path.push_key(k);
                if let Some(s) = node.str() {
                    f(EnvEntry {
                        key: k,
                        value: s,
                        node,
                        path: path.clone(),
                    });
                }
                depth + 1
            }
            Seg::Index(i) => {
                path.push_index(i);
                depth + 1
            }
        };
        match node {
            Node::Map(_, kv) => {
                stack.extend(kv.iter().rev().map(|(k, v)| (depth, Seg::Key(k), v)));
            }
            Node::Seq(_, v) => {
                stack.extend(
                    v.iter()
                        .enumerate()
                        .rev()
                        .map(|(i, n)| (depth, Seg::Index(i), n)),
                );
            }
            Node::Str(_, s) => {
                // `- AWS_ACCESS_KEY_ID=$X` style list entries (Travis,
                // Buildkite), and `KEY=value` in any other scalar.
                if let Some((k, v)) = s.split_once('=') {
                    f(EnvEntry {
                        key: k.trim(),
                        value: v,
                        node,
                        path: path.clone(),
                    });
                }
            }
            Node::Null(_) => {}
        }
    }
}
