//! GitLab CI: jobs are the top-level mappings that are not keywords or
//! hidden (`.template`) jobs.

use crate::ci::issue::KeyPath;
use crate::ci::yaml::Node;

/// Top-level keys that configure the pipeline rather than name a job.
pub const RESERVED: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
];

/// One job of a pipeline.
#[derive(Clone, Copy)]
pub struct Job<'a> {
    pub id: &'a str,
    pub node: &'a Node,
}

impl<'a> Job<'a> {
    pub fn path(&self) -> KeyPath {
        KeyPath::of([self.id])
    }
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }
    /// Does the job request OIDC tokens (`id_tokens:`)?
    pub fn has_id_tokens(&self) -> bool {
        self.node.get("id_tokens").is_some()
    }
}

/// The jobs, in document order.
pub fn jobs(root: &Node) -> impl Iterator<Item = Job<'_>> {
    root.entries()
        .iter()
        .filter(|(id, job)| {
            !RESERVED.contains(&id.as_str()) && !id.starts_with('.') && job.is_map()
        })
        .map(|(id, node)| Job { id, node })
}

/// Does `text` expand the variable `name` (`$NAME` or `${NAME}`)?
pub fn expands(text: &str, name: &str) -> bool {
    text.contains(&format!("${name}")) || text.contains(&format!("${{{name}}}"))
}
