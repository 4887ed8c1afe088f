//! GitHub Actions workflows: triggers, permissions, jobs and steps.

use super::step_name;
use crate::ci::issue::KeyPath;
use crate::ci::yaml::Node;

/// The `on:` node (`on` reads as boolean `true` in YAML 1.1, so that key
/// is looked at too).
pub fn triggers(root: &Node) -> Option<&Node> {
    root.get("on").or_else(|| root.get("true"))
}

/// Does the workflow run on `event`, in any of the forms `on:` takes?
pub fn triggered_by(root: &Node, event: &str) -> bool {
    triggers(root).is_some_and(|o| match o {
        Node::Str(_, s) => s == event,
        Node::Seq(_, v) => v.iter().any(|x| x.str() == Some(event)),
        Node::Map(_, kv) => kv.iter().any(|(k, _)| k == event),
        Node::Null(_) => false,
    })
}

/// Does a `permissions:` node grant `id-token: write` (or `write-all`)?
pub fn grants_id_token(permissions: Option<&Node>) -> bool {
    match permissions {
        Some(Node::Str(_, s)) => s == "write-all",
        Some(p) => p.get("id-token").and_then(Node::str) == Some("write"),
        None => false,
    }
}

/// One job of a workflow.
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
    pub fn steps(&self) -> impl Iterator<Item = Step<'a>> + use<'a> {
        let job = *self;
        job.node
            .list("steps")
            .iter()
            .enumerate()
            .map(move |(idx, node)| Step { job, idx, node })
    }
}

/// One step of a job.
#[derive(Clone, Copy)]
pub struct Step<'a> {
    pub job: Job<'a>,
    /// 0-based position in `steps`.
    pub idx: usize,
    pub node: &'a Node,
}

impl<'a> Step<'a> {
    pub fn path(&self) -> KeyPath {
        self.job.path().key("steps").index(self.idx)
    }
    pub fn name(&self) -> String {
        step_name(self.node, self.idx)
    }
    /// The action it runs (`uses:`), or "".
    pub fn uses(&self) -> &'a str {
        self.node.get("uses").and_then(Node::str).unwrap_or("")
    }
    /// An input under `with:`.
    pub fn with(&self, key: &str) -> Option<&'a Node> {
        self.node.get("with").and_then(|w| w.get(key))
    }
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }
}

/// The jobs of a workflow, in document order.
pub fn jobs(root: &Node) -> impl Iterator<Item = Job<'_>> {
    root.get("jobs")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(id, node)| Job { id, node })
}
