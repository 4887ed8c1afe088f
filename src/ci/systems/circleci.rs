//! CircleCI: jobs under `jobs:`, each with `steps:` that are strings or
//! one-key mappings naming an orb command.

use crate::ci::issue::KeyPath;
use crate::ci::yaml::Node;

/// One job of a config.
#[derive(Clone, Copy)]
pub struct Job<'a> {
    pub id: &'a str,
    pub node: &'a Node,
}

impl<'a> Job<'a> {
    pub fn path(&self) -> KeyPath {
        KeyPath::of(["jobs", self.id])
    }
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }
    /// (0-based index, step) in document order.
    pub fn steps(&self) -> impl Iterator<Item = (usize, &'a Node)> + use<'a> {
        self.node.list("steps").iter().enumerate()
    }
    pub fn step_path(&self, idx: usize) -> KeyPath {
        self.path().key("steps").index(idx)
    }
}

pub fn jobs(root: &Node) -> impl Iterator<Item = Job<'_>> {
    root.get("jobs")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(id, node)| Job { id, node })
}
